// A process killed (SIGKILL) in the middle of writing leaves no key without a TTL: every write sets
// data and expiry in one command or one MULTI, so there is no moment where only half is done.
import { afterAll, describe, expect, it } from 'vitest';
import { redisPlainUrl, redisStackUrl } from '../harness/servers.ts';
import { dropTestData } from '../support/redis-cleanup.ts';
import { startChild } from './support/children.ts';
import { keysMatching, keysWithoutTtl, withClient } from './support/keyspace.ts';
import { sleep } from './support/latency.ts';

const KILLS = 4;

describe.each([
  ['stack', redisStackUrl],
  ['plain', redisPlainUrl],
] as const)('a writer killed mid-write (%s)', (kind, serverUrl) => {
  const tag = `killed${kind}${process.pid}x${Date.now().toString(36)}`;
  const prefix = `${tag}:`;
  const embeddingKeyPrefix = `${tag}-emb:`;
  const indexName = `${tag}-idx`;
  const patterns = [`${prefix}*`, `~${prefix}*`, `${embeddingKeyPrefix}*`];
  afterAll(() => dropTestData(serverUrl(), patterns, kind === 'stack' ? indexName : undefined));

  it(`leaves every key with a TTL, after ${KILLS} kills at random moments`, async () => {
    const url = serverUrl();
    for (let kill = 0; kill < KILLS; kill++) {
      const writer = startChild('writer.ts', { url, prefix, indexName, embeddingKeyPrefix });
      await writer.message('writing');
      await sleep(50 + Math.random() * 400);
      writer.kill('SIGKILL');
      expect((await writer.exited).signal).toBe('SIGKILL');
    }
    await withClient(url, async (client) => {
      const keys = await keysMatching(client, patterns);
      // Entries, member sets, embeddings and counters were all written before the kills.
      for (const pattern of [`${prefix}{`, `~${prefix}{`, embeddingKeyPrefix])
        expect(
          keys.some((key) => key.startsWith(pattern)),
          pattern,
        ).toBe(true);
      expect(keys.some((key) => key.endsWith(':stats'))).toBe(true);
      expect(await keysWithoutTtl(client, keys)).toEqual([]);
    });
  });
});
