// Redis at maxmemory. With noeviction, writes are refused by the server: deja drops and counts
// them, reads keep working, and erasure and tag invalidation still work (they free memory). With allkeys-lru, Redis evicts entries (or parts of what deja
// wrote for one entry): an evicted entry is a plain miss, never an error or a broken answer.
import { createDeja, type Deja, type DejaErrorEvent, lexicalEmbedder, redisStore } from '@deja/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedisServer } from '../harness/redis-server.ts';
import { withClient } from './support/keyspace.ts';

const BIG_ANSWER = 'x'.repeat(4_000);
const request = (i: number) => ({ key: `prompt ${i}`, semanticText: `question ${i} about topic ${i}` });

/** Caps the server's memory `headroom` bytes above (or below, when negative) what it uses now. */
async function capMemory(url: string, headroom: number): Promise<void> {
  await withClient(url, async (client) => {
    const used = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
    await client.configSet('maxmemory', String(used + headroom));
  });
}

describe.each(['stack', 'plain'] as const)('Redis at maxmemory (%s)', (kind) => {
  let server: RunningRedis | undefined;
  let deja: Deja | undefined;
  afterEach(async () => {
    await deja?.close();
    await server?.stop();
  });

  const start = async (policy: string, errors: DejaErrorEvent[]) => {
    server = await startRedisServer({ kind, args: ['--maxmemory-policy', policy] });
    deja = createDeja({
      store: redisStore({ url: server.url, prefix: 'full:' }),
      embedder: lexicalEmbedder({ dimensions: 64 }),
      statsFlushMs: 0,
      // Generous: this test is about a full Redis, not a slow one (the machine may be busy).
      timeoutMs: 2_000,
      onError: (event) => errors.push(event),
      // The static semantic rule: this file is about a full Redis, not acceptance.
      maxErrorRate: false,
    });
    // The first entry makes RediSearch allocate its vector blocks: cap memory after that.
    await deja.tenant('primer').responses.store(request(-1), 'primer');
    await capMemory(server.url, 400_000);
    return deja;
  };

  it('noeviction: writes are dropped and counted, reads keep working', async () => {
    const errors: DejaErrorEvent[] = [];
    const deja = await start('noeviction', errors);
    const tenant = deja.tenant('full');
    let written = 0;
    while ((await tenant.responses.store(request(written), BIG_ANSWER)).stored) written++;
    expect(written).toBeGreaterThan(10);
    expect(errors.some((event) => /OOM/.test(String(event.error)))).toBe(true);

    // A full server keeps refusing writes (a burst of them, with no read in between); every one is
    // counted, none throws. Redis frees a little memory now and then (client buffers), so the cap
    // goes below what is used: each of these writes is refused, not just the next one.
    await capMemory(server?.url ?? '', -200_000);
    const droppedBefore = deja.stats().droppedWrites;
    for (let i = 0; i < 20; i++) {
      expect(await tenant.responses.store({ key: `exact only ${i}` }, BIG_ANSWER)).toMatchObject({
        stored: false,
        reason: 'store-unavailable',
      });
    }
    expect(deja.stats().droppedWrites).toBe(droppedBefore + 20);
    expect((await deja.health()).breaker).toBe('closed');
    // ...while everything that was written is still served, exactly and semantically.
    for (let i = 0; i < written; i++) {
      expect((await tenant.responses.lookup(request(i)))?.value, `entry ${i}`).toBe(BIG_ANSWER);
      const paraphrase = { ...request(i), key: `paraphrase ${i}` };
      expect((await tenant.responses.lookup(paraphrase))?.hit, `paraphrase ${i}`).toBe('semantic');
    }
  });

  it('noeviction: a full Redis still erases a user and invalidates a tag', async () => {
    const deja = await start('noeviction', []);
    const tenant = deja.tenant('erase-when-full');
    const entry = (i: number) => ({
      key: `prompt ${i}`,
      value: BIG_ANSWER,
      user: 'leaver',
      tags: [i % 2 === 0 ? 'even' : 'odd'],
    });
    let written = 0;
    while ((await tenant.put(entry(written))).stored) written++;
    expect(written).toBeGreaterThan(10);
    // Below what is used: nothing more can be written, while erasure only frees memory.
    await capMemory(server?.url ?? '', -200_000);
    expect((await tenant.put(entry(written))).stored).toBe(false);
    const evens = Math.ceil(written / 2);
    expect(await tenant.invalidateTag('even')).toEqual({ deleted: evens, complete: true });
    expect(await tenant.forgetUser('leaver')).toEqual({ deleted: written - evens, complete: true });
    expect(await tenant.count()).toBe(0);
  });

  it('allkeys-lru: an evicted entry is a plain miss', async () => {
    const errors: DejaErrorEvent[] = [];
    const deja = await start('allkeys-lru', errors);
    const tenant = deja.tenant('lru');
    const total = 400;
    for (let i = 0; i < total; i++) await tenant.responses.store(request(i), `${i}:${BIG_ANSWER}`);
    const evicted = await withClient(server?.url ?? '', async (client) =>
      Number(/evicted_keys:(\d+)/.exec(await client.info('stats'))?.[1]),
    );
    expect(evicted).toBeGreaterThan(0);

    let misses = 0;
    for (let i = 0; i < total; i++) {
      const exact = await tenant.responses.lookup(request(i), { mode: 'exact' });
      if (exact) expect(exact.value).toBe(`${i}:${BIG_ANSWER}`);
      else misses++;
      // A semantic lookup finds a whole, genuine entry (this one or a close text's) or nothing.
      const semantic = await tenant.responses.lookup({ ...request(i), key: `paraphrase ${i}` });
      if (semantic) expect(semantic.value).toMatch(/^\d+:x{4000}$/);
    }
    expect(misses).toBeGreaterThan(0);
    // Misses, not trouble: no corrupt entries, no failed store calls.
    expect(errors.map((event) => `${event.kind} ${event.operation}: ${String(event.error)}`)).toEqual([]);
  });
});
