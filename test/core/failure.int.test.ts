// Redis trouble is a miss and a dropped write (the call gives up at its deadline instead of waiting
// for Redis), then the breaker makes an outage cost next to nothing, and caching resumes on its own.
// Strict mode throws instead. No assertion here depends on a deadline being met on a busy machine:
// deadlines are generous, and "gave up at the deadline" is shown by a call returning while Redis is
// frozen (SIGSTOP) and by the events it reported, not by a stopwatch.
import { createDeja, type DejaErrorEvent, DejaStoreError, redisStore } from '@deja/core';
import { countingEmbedder, fixedEmbedder } from '@deja/core/testing';
import { describe, expect, it } from 'vitest';
import { closeWhenTestEnds } from '../support/deja-fixture.ts';
import { serverPerSuite, startServerForTest } from '../support/redis-servers.ts';

const embedder = fixedEmbedder({ question: [1, 0, 0, 0] });
const ask = { key: 'question', semanticText: 'question', scope: 'chat' };
/** Long enough that a healthy Redis on a loaded 2-core machine always answers within it. */
const GENEROUS_TIMEOUT_MS = 1_000;
/** How long a test waits for caching to come back after Redis does. */
const RECOVERY = { timeout: 20_000, interval: 100 };

/** A port where a server of this kind can start but none runs now. */
async function freePortFromStoppedServer(kind: 'stack' | 'plain'): Promise<number> {
  const probe = await startServerForTest({ kind });
  await probe.stop();
  return probe.port;
}

describe.each(['stack', 'plain'] as const)('Redis trouble (%s)', (kind) => {
  const server = serverPerSuite({ kind });

  it('misses at the deadline when Redis freezes, opens the breaker, recovers when it thaws', async () => {
    const errors: DejaErrorEvent[] = [];
    const deja = createDeja({
      store: redisStore({ url: server.current.url, prefix: 'freeze:' }),
      embedder,
      // The path where the KNN follows the embedding read (with the vector in this process's LRU,
      // the KNN leaves with the exact probe instead: local-embeddings.int.test.ts).
      localEmbeddings: 0,
      timeoutMs: GENEROUS_TIMEOUT_MS,
      // The cooldown outlasts the refused calls below, even on a busy machine.
      breaker: { failureThreshold: 3, cooldownMs: 5_000 },
      onError: (event) => errors.push(event),
    });
    closeWhenTestEnds(deja);
    const tenant = deja.tenant('t');
    await deja.ready();
    await tenant.responses.store(ask, 'cached');
    expect((await tenant.responses.lookup(ask))?.value).toBe('cached');
    expect(errors).toEqual([]);

    server.current.freeze();
    try {
      // Redis answers nothing now: a lookup returns only because it gave up at its deadline. It
      // waits one deadline, not one per tier: the round trip that left first (exact probe and
      // embedding read, together) times out, and the KNN that would follow is never sent.
      // Threshold 3: the breaker opens within three lookups, and the next call is refused.
      const timedOut = () => errors.filter((event) => event.kind === 'timeout').length;
      let lookups = 0;
      while (timedOut() < 3) {
        expect(++lookups).toBeLessThanOrEqual(3);
        expect(await tenant.responses.lookup(ask)).toBeUndefined();
      }
      expect(errors.every((event) => event.kind === 'timeout')).toBe(true);
      expect(errors.filter((event) => event.operation === 'knn')).toEqual([]);
      // Open breaker: calls are refused without touching Redis, so no call waits for a deadline.
      const timeouts = errors.length;
      expect(await tenant.responses.lookup(ask)).toBeUndefined();
      expect(await tenant.responses.store(ask, 'dropped')).toMatchObject({
        stored: false,
        reason: 'store-unavailable',
      });
      const refused = errors.slice(timeouts).map((event) => event.kind);
      expect(refused.length).toBeGreaterThanOrEqual(2);
      expect(refused.every((kind) => kind === 'circuit-open')).toBe(true);
    } finally {
      server.current.thaw();
    }
    await expect.poll(async () => (await tenant.responses.lookup(ask))?.value, RECOVERY).toBe('cached');
    expect(deja.stats().droppedWrites).toBe(1);
    expect(deja.stats().errors).toBe(errors.length);
    await tenant.clear();
  });

  it('with the vector at hand (LRU), a frozen Redis costs a lookup one deadline: probe and KNN left together', async () => {
    const errors: DejaErrorEvent[] = [];
    const counting = countingEmbedder(embedder);
    const deja = createDeja({
      store: redisStore({ url: server.current.url, prefix: 'freeze-lru:', indexName: 'freeze-lru-idx' }),
      embedder: counting,
      timeoutMs: GENEROUS_TIMEOUT_MS,
      breaker: { failureThreshold: 100, cooldownMs: 5_000 },
      onError: (event) => errors.push(event),
    });
    closeWhenTestEnds(deja);
    const tenant = deja.tenant('t');
    await deja.ready();
    await tenant.responses.store(ask, 'cached');
    const embedded = counting.calls;
    server.current.freeze();
    try {
      // Another key, the same text: an exact miss whose vector this process has.
      expect(await tenant.responses.lookup({ ...ask, key: 'another key' })).toBeUndefined();
    } finally {
      server.current.thaw();
    }
    expect(counting.calls).toBe(embedded);
    // The probe, the marks flag and the KNN left in the first round trip and timed out together;
    // nothing was sent after them.
    expect(errors.map((event) => `${event.kind} ${event.operation}`).sort()).toEqual([
      'timeout bytes read',
      'timeout get',
      'timeout knn',
    ]);
    await tenant.clear();
  });

  it('keeps answering (as misses) while Redis is down, and caches again once it is back', async () => {
    const own = await startServerForTest({ kind });
    const deja = createDeja({
      store: redisStore({ url: own.url, prefix: 'down:' }),
      embedder,
      timeoutMs: GENEROUS_TIMEOUT_MS,
      breaker: { failureThreshold: 2, cooldownMs: 200 },
    });
    closeWhenTestEnds(deja);
    const tenant = deja.tenant('t');
    let computed = 0;
    const compute = async () => `answer ${++computed}`;
    expect((await tenant.responses.wrap(ask, compute, { awaitWrite: true })).value).toBe('answer 1');
    expect((await tenant.responses.wrap(ask, compute)).hit).toBe('exact');

    await own.stop();
    for (let i = 0; i < 5; i++) {
      const missed = await tenant.responses.wrap(ask, compute);
      expect(missed.hit).toBe('miss');
      // A call made while the last miss's write is still failing shares that miss (by design);
      // each call here comes after it, so each computes.
      if (missed.hit === 'miss') await missed.written;
    }
    expect(computed).toBe(6);

    await startServerForTest({ kind, port: own.port });
    await expect.poll(async () => (await tenant.responses.wrap(ask, compute)).hit, RECOVERY).toBe('exact');
  });

  it('never calls the embedder twice for one text while Redis is healthy, and still embeds when it is down', async () => {
    const own = await startServerForTest({ kind });
    const counting = countingEmbedder(embedder);
    const deja = createDeja({
      store: redisStore({ url: own.url }),
      embedder: counting,
      // Without the in-process LRU, which would answer without the embedder while Redis is down.
      localEmbeddings: 0,
      timeoutMs: GENEROUS_TIMEOUT_MS,
    });
    closeWhenTestEnds(deja);
    await deja.embeddings.embed(['question']);
    await deja.embeddings.embed(['question']);
    expect(counting.calls).toBe(1);
    await own.stop();
    const [vector] = await deja.embeddings.embed(['question']);
    expect(Array.from(vector as Float32Array)).toEqual([1, 0, 0, 0]);
    expect(counting.calls).toBe(2);
  });

  it('throws a DejaStoreError in strict mode', async () => {
    const own = await startServerForTest({ kind });
    const deja = createDeja({
      store: redisStore({ url: own.url }),
      embedder,
      timeoutMs: GENEROUS_TIMEOUT_MS,
      strict: true,
    });
    closeWhenTestEnds(deja);
    await deja.ready();
    await own.stop();
    await expect(deja.tenant('t').responses.lookup(ask)).rejects.toThrow(DejaStoreError);
  });

  it('starts without Redis and begins caching when it appears', async () => {
    const port = await freePortFromStoppedServer(kind);
    const deja = createDeja({
      store: redisStore({ url: `redis://127.0.0.1:${port}` }),
      embedder,
      timeoutMs: GENEROUS_TIMEOUT_MS,
      breaker: { failureThreshold: 2, cooldownMs: 100 },
    });
    closeWhenTestEnds(deja);
    const tenant = deja.tenant('t');
    expect(await tenant.responses.lookup(ask)).toBeUndefined();
    expect((await tenant.responses.store(ask, 'early')).stored).toBe(false);
    await startServerForTest({ kind, port });
    await expect
      .poll(async () => (await tenant.responses.store(ask, 'late')).stored, { ...RECOVERY, interval: 200 })
      .toBe(true);
    expect((await tenant.responses.lookup(ask))?.value).toBe('late');
  });
});
