// deja.stats() on memoryStore through the public API: hits per tier, misses, hit rate, per tenant,
// tokens and cost saved, writes and not-cached answers, and every reported problem in `errors`.
import { describe, expect, it } from 'vitest';
import { memoryDeja, PARAPHRASE, QUESTION, request, UNRELATED } from './support.ts';

describe('deja.stats()', () => {
  it('counts exact hits, semantic hits and misses, in total and per tenant', async () => {
    const { deja } = memoryDeja();
    const tenant = deja.tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');
    await tenant.responses.lookup(request(QUESTION));
    await tenant.responses.lookup(request(QUESTION));
    await tenant.responses.lookup(request(PARAPHRASE));
    await tenant.responses.lookup(request(UNRELATED));
    await deja.tenant('other').responses.lookup(request(QUESTION));

    const stats = deja.stats();
    expect(stats).toMatchObject({ exactHits: 2, semanticHits: 1, misses: 2, writes: 1 });
    expect(stats.hitRate).toBeCloseTo(3 / 5);
    expect(stats.byTenant.acme).toMatchObject({ exactHits: 2, semanticHits: 1, misses: 1 });
    expect(stats.byTenant.other).toMatchObject({ exactHits: 0, semanticHits: 0, misses: 1 });
    expect(stats.lookupLatencyMs.count).toBe(5);
  });

  it('adds up the tokens and the cost each hit saved, from the stored usage and the prices', async () => {
    const { deja } = memoryDeja({ prices: { 'model-a': { input: 1, output: 2 } } });
    const tenant = deja.tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris', {
      model: 'model-a',
      usage: { inputTokens: 1_000_000, outputTokens: 500_000 },
    });
    await tenant.responses.lookup(request(QUESTION));
    await tenant.responses.lookup(request(PARAPHRASE));
    // Two hits of 1.5 M tokens; each saved 1 × 1 + 2 × 0.5 = 2 USD.
    expect(deja.stats()).toMatchObject({ tokensSaved: 3_000_000, costSaved: 4 });
  });

  it('counts answers too large to cache as not cached, and every reported problem as an error', async () => {
    const { deja, errors } = memoryDeja({ maxResponseBytes: 100 });
    const tenant = deja.tenant('acme');
    expect(await tenant.responses.store(request(QUESTION), 'x'.repeat(1_000))).toMatchObject({
      stored: false,
      reason: 'too-large',
    });
    // A value that would not read back the same (undefined inside an array) is refused and reported.
    expect(await tenant.responses.store(request(UNRELATED), [1, undefined])).toMatchObject({
      stored: false,
      reason: 'not-cacheable',
    });
    expect(deja.stats()).toMatchObject({ notCached: 2, writes: 0 });
    expect(errors.map((event) => event.kind)).toEqual(['not-cached']);
    const failing = {
      modelId: 'failing',
      dimensions: 4,
      embed: async (): Promise<number[][]> => {
        throw new Error('provider down');
      },
    };
    const broken = memoryDeja({ embedder: failing });
    expect(await broken.deja.tenant('acme').responses.lookup(request(QUESTION))).toBeUndefined();
    expect(broken.errors.map((event) => event.kind)).toContain('embedder');
    expect(broken.deja.stats().errors).toBe(broken.errors.length);
    expect(deja.stats().errors).toBe(1);
  });

  it('an adapter’s reported event is counted like deja’s own', async () => {
    const { deja, errors } = memoryDeja();
    deja.report({ kind: 'store', operation: 'adapter write', error: new Error('x') });
    expect(errors).toHaveLength(1);
    expect(deja.stats().errors).toBe(1);
  });
});
