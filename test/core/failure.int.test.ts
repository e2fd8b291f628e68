// Redis trouble is a miss and a dropped write within the deadline, then the breaker makes an outage
// cost next to nothing, and caching resumes on its own. Strict mode throws instead.
import { createDeja, type DejaErrorEvent, DejaStoreError, redisStore } from '@deja/core';
import { countingEmbedder, fixedEmbedder } from '@deja/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedisServer } from '../harness/redis-server.ts';

const embedder = fixedEmbedder({ question: [1, 0, 0, 0] });
const ask = { key: 'question', semanticText: 'question', scope: 'chat' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port where a server of this kind can start but none runs now. */
async function freePortFromStoppedServer(kind: 'stack' | 'plain'): Promise<{ port: number }> {
  const probe = await startRedisServer({ kind });
  await probe.stop();
  return { port: probe.port };
}

describe.each(['stack', 'plain'] as const)('Redis trouble (%s)', (kind) => {
  let server: RunningRedis;
  beforeAll(async () => {
    server = await startRedisServer({ kind });
  });
  afterAll(() => server.stop());

  it('misses within the deadline when Redis freezes, opens the breaker, recovers when it thaws', async () => {
    const errors: DejaErrorEvent[] = [];
    const deja = createDeja({
      store: redisStore({ url: server.url, prefix: 'freeze:' }),
      embedder,
      timeoutMs: 100,
      breaker: { failureThreshold: 3, cooldownMs: 2_000 },
      onError: (event) => errors.push(event),
    });
    const tenant = deja.tenant('t');
    await tenant.responses.store(ask, 'cached');
    expect((await tenant.responses.lookup(ask))?.value).toBe('cached');

    server.freeze();
    try {
      const slow: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        expect(await tenant.responses.lookup(ask)).toBeUndefined();
        slow.push(performance.now() - started);
      }
      // A lookup makes at most three store calls (exact, embedding, KNN), each cut at the 100 ms deadline.
      for (const ms of slow) expect(ms).toBeLessThan(100 * 3 + 400);
      expect((await deja.health()).breaker).toBe('open');
      const timeoutsBefore = errors.filter((event) => event.kind === 'timeout').length;
      expect(await tenant.responses.lookup(ask)).toBeUndefined();
      expect(await tenant.responses.store(ask, 'dropped')).toMatchObject({
        stored: false,
        reason: 'store-unavailable',
      });
      // Open breaker: calls are refused without touching Redis, so no call waits for a deadline.
      expect(errors.filter((event) => event.kind === 'timeout')).toHaveLength(timeoutsBefore);
      expect(errors.filter((event) => event.kind === 'circuit-open').length).toBeGreaterThanOrEqual(2);
    } finally {
      server.thaw();
    }
    await expect
      .poll(async () => (await tenant.responses.lookup(ask))?.value, { timeout: 5_000, interval: 100 })
      .toBe('cached');
    expect(deja.stats().droppedWrites).toBeGreaterThanOrEqual(1);
    expect(deja.stats().errors).toBe(errors.length);
    await tenant.clear();
    await deja.close();
  });

  it('keeps answering (as misses) while Redis is down, and caches again once it is back', async () => {
    const own = await startRedisServer({ kind });
    const deja = createDeja({
      store: redisStore({ url: own.url, prefix: 'down:' }),
      embedder,
      timeoutMs: 100,
      breaker: { failureThreshold: 2, cooldownMs: 200 },
    });
    const tenant = deja.tenant('t');
    let computed = 0;
    const compute = async () => `answer ${++computed}`;
    expect((await tenant.responses.wrap(ask, compute)).value).toBe('answer 1');
    expect((await tenant.responses.wrap(ask, compute)).hit).toBe('exact');

    await own.stop();
    for (let i = 0; i < 5; i++) expect((await tenant.responses.wrap(ask, compute)).hit).toBe('miss');
    expect(computed).toBe(6);

    const restarted = await startRedisServer({ kind, port: own.port });
    try {
      await expect
        .poll(async () => (await tenant.responses.wrap(ask, compute)).hit, { timeout: 5_000, interval: 100 })
        .toBe('exact');
    } finally {
      await deja.close();
      await restarted.stop();
    }
  });

  it('never calls the embedder twice for one text while Redis is healthy, and still embeds when it is down', async () => {
    const own = await startRedisServer({ kind });
    const counting = countingEmbedder(embedder);
    const deja = createDeja({ store: redisStore({ url: own.url }), embedder: counting, timeoutMs: 100 });
    await deja.embeddings.embed(['question']);
    await deja.embeddings.embed(['question']);
    expect(counting.calls).toBe(1);
    await own.stop();
    const [vector] = await deja.embeddings.embed(['question']);
    expect(Array.from(vector as Float32Array)).toEqual([1, 0, 0, 0]);
    expect(counting.calls).toBe(2);
    await deja.close();
  });

  it('throws a DejaStoreError in strict mode', async () => {
    const own = await startRedisServer({ kind });
    const deja = createDeja({ store: redisStore({ url: own.url }), embedder, timeoutMs: 100, strict: true });
    await deja.ready();
    await own.stop();
    await expect(deja.tenant('t').responses.lookup(ask)).rejects.toThrow(DejaStoreError);
    await deja.close();
  });

  it('starts without Redis and begins caching when it appears', async () => {
    const { port } = await freePortFromStoppedServer(kind);
    const deja = createDeja({
      store: redisStore({ url: `redis://127.0.0.1:${port}` }),
      embedder,
      timeoutMs: 100,
      breaker: { failureThreshold: 2, cooldownMs: 100 },
    });
    const tenant = deja.tenant('t');
    expect(await tenant.responses.lookup(ask)).toBeUndefined();
    expect((await tenant.responses.store(ask, 'early')).stored).toBe(false);
    const late = await startRedisServer({ kind, port });
    try {
      await expect
        .poll(async () => (await tenant.responses.store(ask, 'late')).stored, {
          timeout: 8_000,
          interval: 200,
        })
        .toBe(true);
      expect((await tenant.responses.lookup(ask))?.value).toBe('late');
    } finally {
      await deja.close();
      await late.stop();
    }
    await sleep(0);
  });
});
