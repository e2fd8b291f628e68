// Real faults under real traffic: 50 concurrent callers while Redis is frozen (SIGSTOP) and then
// killed (SIGKILL) and restarted on its port. Every app call completes; lookups give up at the
// deadline while the breaker is closed and cost next to nothing once it is open; caching resumes
// on its own. Latencies are measured and printed, never asserted (a loaded 2-core machine makes any
// bound either flaky or meaningless): what is asserted is behaviour — every call completes while
// Redis answers nothing, which only a deadline makes possible; a lookup waits one deadline (the
// store calls that time out left together, and nothing is sent after them); the open breaker
// refuses calls without touching Redis; caching comes back after the thaw or restart.
import { createDeja, type Deja, lexicalEmbedder, redisStore } from '@deja/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedisServer } from '../harness/redis-server.ts';
import { recordingStore } from '../support/recording-store.ts';
import { formatPercentiles, percentiles, sleep } from './support/latency.ts';
import {
  recordErrorEvent,
  recordStoreCall,
  sentAfterFailure,
  shortCircuited,
  Traffic,
  waitedForDeadline,
} from './support/traffic.ts';

const TIMEOUT_MS = 100;
const COOLDOWN_MS = 500;
const CALLERS = 50;
/** How long caching may take to come back after Redis does, on a busy machine. */
const RECOVERY_TIMEOUT_MS = 20_000;
const requests = Array.from({ length: 20 }, (_, i) => ({
  key: { prompt: `question number ${i}` },
  semanticText: `question number ${i}`,
  scope: 'chat',
}));

describe.each(['stack', 'plain'] as const)('faults under 50 concurrent callers (%s)', (kind) => {
  let server: RunningRedis;
  let deja: Deja;
  const escaped: unknown[] = [];
  const onEscape = (error: unknown) => escaped.push(error);

  beforeAll(async () => {
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
    server = await startRedisServer({ kind });
    deja = createDeja({
      // The store calls a lookup can send, each filed under the app call that sent it.
      store: recordingStore(
        redisStore({ url: server.url, prefix: 'faults:' }),
        ['get', 'knn', 'bytes.get'],
        recordStoreCall,
      ).store,
      embedder: lexicalEmbedder({ dimensions: 32 }),
      timeoutMs: TIMEOUT_MS,
      breaker: { failureThreshold: 5, cooldownMs: COOLDOWN_MS },
      onError: recordErrorEvent,
      // The static semantic rule and awaited writes: this file is about faults, not acceptance.
      maxErrorRate: false,
      writeBehind: false,
      // The two-round-trip path (probe and embedding read, then KNN and marks flag), where a second
      // deadline could hide; with a vector at hand in the LRU everything leaves with the probe
      // (core/failure.int.test.ts freezes Redis on that path).
      localEmbeddings: 0,
    });
    await deja.ready();
  });
  afterAll(async () => {
    await deja?.close();
    await server?.stop();
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
  });

  /** Milliseconds from `since` until a lookup that started after it was a hit. */
  const timeToFirstHit = (traffic: Traffic, since: number) => {
    const hit = traffic.since(since).find((call) => call.hit);
    return hit ? hit.startedAt + hit.ms - since : Number.POSITIVE_INFINITY;
  };

  it('Redis frozen: misses within the deadline, then the open breaker answers at once; resumes after thaw', async () => {
    const tenant = deja.tenant('frozen');
    const traffic = new Traffic(tenant, requests, CALLERS);
    await tenant.responses.wrap({ key: 'warm-up', semanticText: 'warm up' }, async () => 'warm');
    const startedAt = performance.now();
    traffic.start();
    let frozenAt = 0;
    let thawedAt = 0;
    try {
      await sleep(800);
      frozenAt = performance.now();
      server.freeze();
      // Not a fixed length: the breaker probes in a rhythm, and recovery depends on where in it Redis returns.
      await sleep(1_700 + Math.random() * 600);
      thawedAt = performance.now();
      server.thaw();
      await expect
        .poll(() => timeToFirstHit(traffic, thawedAt), { timeout: RECOVERY_TIMEOUT_MS })
        .toBeLessThan(Number.POSITIVE_INFINITY);
      await sleep(300);
    } finally {
      server.thaw();
      await traffic.stop();
    }
    // Healthy baseline, once the 50 callers have ramped up.
    const healthy = traffic
      .since(startedAt + 300)
      .filter((call) => call.operation === 'lookup' && call.startedAt + call.ms < frozenAt);

    // Calls in flight when Redis froze count too: with 50 busy callers they are often the only
    // ones that meet the closed breaker (the next calls start once it has opened).
    const frozen = traffic.calls.filter(
      (call) => call.startedAt + call.ms > frozenAt && call.startedAt < thawedAt,
    );
    const lookups = frozen.filter((call) => call.operation === 'lookup');
    const waited = lookups.filter(waitedForDeadline);
    const skipped = lookups.filter(shortCircuited);
    const recovery = timeToFirstHit(traffic, thawedAt);
    console.info(
      [
        `[${kind}] frozen Redis, timeoutMs=${TIMEOUT_MS}, cooldownMs=${COOLDOWN_MS}, ${CALLERS} callers`,
        formatPercentiles('  healthy lookups', percentiles(healthy.map((call) => call.ms))),
        formatPercentiles('  breaker closed (waited)', percentiles(waited.map((call) => call.ms))),
        formatPercentiles('  breaker open (skipped)', percentiles(skipped.map((call) => call.ms))),
        formatPercentiles(
          '  wrap calls that waited',
          percentiles(
            frozen
              .filter((call) => call.operation === 'wrap' && waitedForDeadline(call))
              .map((call) => call.ms),
          ),
        ),
        `  time to first hit after thaw: ${recovery.toFixed(0)} ms`,
      ].join('\n'),
    );

    expect(traffic.calls.filter((call) => call.failed)).toEqual([]);
    expect(waited.length).toBeGreaterThan(0);
    expect(skipped.length).toBeGreaterThan(waited.length);
    // One deadline per lookup, not one per tier: nothing leaves after a store call has failed.
    for (const call of waited) {
      expect(call.timeline[0]).toMatch(/^send /);
      expect(sentAfterFailure(call)).toEqual([]);
    }
    expect(recovery).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(escaped).toEqual([]);
  });

  it('Redis killed and restarted on its port: every call completes, caching resumes by itself', async () => {
    const tenant = deja.tenant('killed');
    const traffic = new Traffic(tenant, requests, CALLERS);
    traffic.start();
    let killedAt = 0;
    let restartedAt = 0;
    try {
      await sleep(500);
      killedAt = performance.now();
      await server.stop(true);
      await sleep(1_500);
      server = await startRedisServer({ kind, port: server.port });
      restartedAt = performance.now();
      await expect
        .poll(() => timeToFirstHit(traffic, restartedAt), { timeout: RECOVERY_TIMEOUT_MS })
        .toBeLessThan(Number.POSITIVE_INFINITY);
      await sleep(300);
    } finally {
      await traffic.stop();
    }

    const down = traffic.since(killedAt).filter((call) => call.startedAt < restartedAt);
    const lookups = down.filter((call) => call.operation === 'lookup');
    const recovery = timeToFirstHit(traffic, restartedAt);
    console.info(
      [
        `[${kind}] killed Redis`,
        formatPercentiles('  lookups while down', percentiles(lookups.map((call) => call.ms))),
        formatPercentiles(
          '  breaker open (skipped)',
          percentiles(lookups.filter(shortCircuited).map((call) => call.ms)),
        ),
        `  time to first hit after restart: ${recovery.toFixed(0)} ms`,
      ].join('\n'),
    );
    expect(traffic.calls.filter((call) => call.failed)).toEqual([]);
    expect(lookups.filter(shortCircuited).length).toBeGreaterThan(0);
    for (const call of lookups) expect(sentAfterFailure(call)).toEqual([]);
    expect(recovery).toBeLessThan(Number.POSITIVE_INFINITY);

    // The restarted server is empty: semantic caching must come back too (the index is recreated).
    const paraphrased = { key: 'restart probe', semanticText: 'what changed after the restart', scope: 'x' };
    await expect
      .poll(
        async () => {
          await tenant.responses.store(paraphrased, 'after restart');
          return (await tenant.responses.lookup({ ...paraphrased, key: 'another wording' }))?.hit;
        },
        { timeout: RECOVERY_TIMEOUT_MS, interval: 100 },
      )
      .toBe('semantic');
    expect(escaped).toEqual([]);
  });
});
