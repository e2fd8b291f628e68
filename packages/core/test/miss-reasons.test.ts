// Why a call missed: every lookup result and `onLookup` event carries the reason, and the best
// candidate's similarity when there was one.
import { describe, expect, it } from 'vitest';
import { createDeja, type LookupEvent, memoryStore, type Store } from '../src/index.ts';
import { memoryDeja, PARAPHRASE, QUESTION, request, UNRELATED } from './support.ts';

describe('miss reasons', () => {
  it('names each reason: no entry, below the threshold (with its similarity), not verified, mode off', async () => {
    const events: LookupEvent[] = [];
    const { deja } = memoryDeja({ minSimilarity: 0.99, onLookup: (event) => events.push(event) });
    const tenant = deja.tenant('reasons');
    expect(await tenant.responses.find(request(QUESTION))).toEqual({ hit: 'miss', reason: 'no-entry' });
    await tenant.responses.store(request(QUESTION), 'Paris');
    const below = await tenant.responses.find(request(PARAPHRASE));
    expect(below).toMatchObject({ hit: 'miss', reason: 'below-threshold' });
    expect(below.similarity).toBeCloseTo(0.98, 2);
    expect(await tenant.responses.find(request(QUESTION), { mode: 'off' })).toEqual({
      hit: 'miss',
      reason: 'mode-off',
    });
    expect(await tenant.responses.find(request(UNRELATED), { mode: 'exact' })).toEqual({
      hit: 'miss',
      reason: 'no-entry',
    });
    expect(events.map((event) => [event.outcome, event.reason])).toEqual([
      ['miss', 'no-entry'],
      ['miss', 'below-threshold'],
      ['miss', 'no-entry'],
    ]);
    expect(events.every((event) => event.tenant === tenant.digest)).toBe(true);

    const bounded = memoryDeja({ maxErrorRate: 0.05 });
    const cold = bounded.deja.tenant('cold');
    await cold.responses.store(request(QUESTION), 'Paris');
    expect(await cold.responses.find(request(PARAPHRASE))).toMatchObject({
      hit: 'miss',
      reason: 'not-verified',
      rule: 'no-evidence-yet',
    });
  });

  it('wrap says why it computed; a semantic hit says it was a hit', async () => {
    const { deja } = memoryDeja();
    const tenant = deja.tenant('wrap');
    const first = await tenant.responses.wrap(request(QUESTION), async () => 'Paris');
    expect(first).toMatchObject({ hit: 'miss', reason: 'no-entry' });
    const refreshed = await tenant.responses.wrap(request(QUESTION), async () => 'Paris', { refresh: true });
    expect(refreshed).toMatchObject({ hit: 'miss', reason: 'refresh' });
    expect(await tenant.responses.find(request(PARAPHRASE))).toMatchObject({
      hit: 'semantic',
      value: 'Paris',
    });
  });

  it('store trouble and an open breaker read as such, not as "no entry"', async () => {
    const inner = memoryStore();
    const broken: Store = { ...inner, get: () => Promise.reject(new Error('connection reset')) };
    const deja = createDeja({
      store: broken,
      breaker: { failureThreshold: 1, cooldownMs: 60_000 },
      onError: () => {},
      statsFlushMs: 0,
    });
    const tenant = deja.tenant('trouble');
    expect(await tenant.responses.find({ key: 'q' })).toEqual({ hit: 'miss', reason: 'store-unavailable' });
    expect(await tenant.responses.find({ key: 'q' })).toEqual({ hit: 'miss', reason: 'breaker-open' });
    await deja.close();
  });
});
