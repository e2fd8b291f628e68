// Stampedes: identical misses arriving together cost one model call — within a process by
// single-flight, across processes by the Redis lock (one call per lock period) — and a lock holder
// that dies blocks the others no longer than the lock's TTL.
import { createDeja, redisStore } from '@deja/core';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { redisStackUrl } from '../harness/servers.ts';
import { dropTestData } from '../support/redis-cleanup.ts';
import { type RunningChild, startChild } from './support/children.ts';
import { withClient } from './support/keyspace.ts';
import { sleep } from './support/latency.ts';

const tag = `stampede${process.pid}x${Date.now().toString(36)}`;
const prefix = `${tag}:`;
let scenario = 0;

/** Settings of one scenario: its own question and compute counter. */
const scenarioSettings = (fields: object) => ({
  url: redisStackUrl(),
  prefix,
  question: `question of scenario ${++scenario}`,
  counterKey: `~${prefix}computes:${scenario}`,
  ...fields,
});

const computes = (counterKey: string) =>
  withClient(redisStackUrl(), async (client) => Number(await client.get(counterKey)));

async function startReady(count: number, settings: object): Promise<RunningChild[]> {
  const children = Array.from({ length: count }, () => startChild('stampede.ts', settings));
  await Promise.all(children.map((child) => child.message('ready')));
  return children;
}

describe('stampedes', () => {
  afterAll(() => dropTestData(redisStackUrl(), [`${prefix}*`, `~${prefix}*`]));

  it('100 concurrent identical misses in one process make exactly one model call', async () => {
    const deja = createDeja({
      store: redisStore({ url: redisStackUrl(), prefix }),
      statsFlushMs: 0,
      timeoutMs: 30_000,
    });
    onTestFinished(() => deja.close());
    let calls = 0;
    const compute = async () => {
      calls++;
      await sleep(50);
      return { answer: 42 };
    };
    const results = await Promise.all(
      Array.from({ length: 100 }, () => deja.tenant('one process').responses.wrap({ key: 'same' }, compute)),
    );
    expect(calls).toBe(1);
    expect(results.filter((result) => !result.shared)).toHaveLength(1);
    expect(new Set(results.map((result) => JSON.stringify(result.value)))).toEqual(
      new Set(['{"answer":42}']),
    );
  });

  it('4 processes × 25 callers with the Redis lock make one model call', async () => {
    const settings = scenarioSettings({ lock: { ttlMs: 5_000, pollMs: 20 }, callers: 25, computeMs: 300 });
    const children = await startReady(4, settings);
    for (const child of children) child.go();
    const done = await Promise.all(children.map((child) => child.message('done')));
    expect(await computes(settings.counterKey)).toBe(1);
    for (const message of done) expect(message.values).toEqual(['answer 1']);
  });

  it('when the compute outlasts the lock, one model call per lock period', async () => {
    // The lock expires once before the first answer is stored: a second process may compute then.
    // A third would need the first answer to be stored over a second late (2 × ttl − compute),
    // a margin a busy machine keeps.
    const ttlMs = 2_000;
    const computeMs = 3_000;
    const settings = scenarioSettings({ lock: { ttlMs, pollMs: 20 }, callers: 10, computeMs });
    const children = await startReady(4, settings);
    for (const child of children) child.go();
    await Promise.all(children.map((child) => child.message('done')));
    const calls = await computes(settings.counterKey);
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(Math.ceil(computeMs / ttlMs));
  });

  it('a lock holder killed mid-compute blocks the others no longer than the lock TTL', async () => {
    const ttlMs = 1_500;
    const holderSettings = scenarioSettings({ lock: { ttlMs, pollMs: 20 }, callers: 1, computeMs: 60_000 });
    const waiterSettings = { ...holderSettings, computeMs: 50 };
    const [holder] = (await startReady(1, holderSettings)) as [RunningChild];
    const waiters = await startReady(2, waiterSettings);
    holder.go();
    const computing = await holder.message('computing');
    const lockedAt = Number(computing.at);
    for (const waiter of waiters) waiter.go();
    await sleep(200);
    holder.kill('SIGKILL');
    const done = await Promise.all(waiters.map((waiter) => waiter.message('done')));

    // The holder's call and exactly one more: the waiters shared it once the lock had expired.
    expect(await computes(holderSettings.counterKey)).toBe(2);
    for (const message of done) {
      expect(message.values).toEqual(['answer 2']);
      const blockedFor = Number(message.finishedAt) - lockedAt;
      // Not freed before the TTL (50 ms: clocks of two processes); when they were freed is shown
      // by the count above, not a stopwatch: both shared one computation instead of each giving
      // up on the lock and computing on its own.
      expect(blockedFor).toBeGreaterThanOrEqual(ttlMs - 50);
    }
  });
});
