// The Redis options a user passes: url or client (never both, never neither, and typed so a
// string is not a client), socket settings that reach the connection, a clear word for an unset
// URL, and store + redis refused instead of redis silently ignored. Against real Redis.
import type { createClient } from 'redis';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { redisPlainUrl } from '../../../test/harness/servers.ts';
import {
  createDeja,
  DejaConfigError,
  memoryStore,
  type RedisStoreOptions,
  redisStore,
} from '../src/index.ts';

describe('redisStore options', () => {
  it('types url and client as exclusive, and a client as a node-redis client (checked by tsc)', () => {
    expectTypeOf<{ url: string }>().toExtend<RedisStoreOptions>();
    expectTypeOf<{ client: ReturnType<typeof createClient> }>().toExtend<RedisStoreOptions>();
    expectTypeOf<{ client: string }>().not.toExtend<RedisStoreOptions>();
    expectTypeOf<{
      url: string;
      client: ReturnType<typeof createClient>;
    }>().not.toExtend<RedisStoreOptions>();
    expectTypeOf<{
      client: ReturnType<typeof createClient>;
      socket: { tls: true };
    }>().not.toExtend<RedisStoreOptions>();
  });

  it('says what is wrong with an unset url, and where it usually comes from', () => {
    expect(() => redisStore({ url: undefined as unknown as string })).toThrow(DejaConfigError);
    expect(() => redisStore({ url: undefined as unknown as string })).toThrow(
      /url is undefined: pass a redis:\/\/ URL \(is DEJA_REDIS_URL set\?/,
    );
    expect(() => redisStore({ url: '' })).toThrow(/url is "": pass a redis:\/\/ URL/);
  });

  it('refuses store together with redis instead of ignoring redis', () => {
    expect(() => createDeja({ store: memoryStore(), redis: { url: redisPlainUrl() } })).toThrow(
      DejaConfigError,
    );
    expect(() => createDeja({ store: memoryStore(), redis: { url: redisPlainUrl() } })).toThrow(
      'pass store or redis, not both',
    );
  });

  it('hands socket settings to the connection it opens', async () => {
    // TCP settings: a working cache.
    const tcp = createDeja({
      redis: {
        url: redisPlainUrl(),
        prefix: 'redis-options-tcp:',
        socket: { keepAlive: true, noDelay: true },
      },
      statsFlushMs: 0,
      strict: true,
    });
    expect(await tcp.ready()).toBe(true);
    await tcp.tenant('t').put({ key: 'k', value: 'v' });
    expect((await tcp.tenant('t').get('k'))?.value).toBe('v');
    await tcp.close();
    // TLS against a server that speaks plain TCP cannot connect: the setting reached the socket.
    const tls = createDeja({
      redis: { url: redisPlainUrl(), socket: { tls: true, rejectUnauthorized: true } },
      initTimeoutMs: 3_000,
      statsFlushMs: 0,
    });
    expect(await tls.ready()).toBe(false);
    await tls.close();
  });
});
