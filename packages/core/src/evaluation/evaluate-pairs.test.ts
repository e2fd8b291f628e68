// The evaluation pass on the memory store (the Redis Stack run is in packages/cli/test/,
// with the dev set's real vectors): what is stored, what is looked up, and how each is judged.
import { describe, expect, it } from 'vitest';
import { createDeja } from '../deja.js';
import type { Embedder } from '../embeddings/embedder.js';
import { DejaInputError, DejaStoreError } from '../errors.js';
import { memoryStore } from '../stores/memory-store.js';
import { fixedEmbedder } from '../testing/index.js';
import { evaluatePairs } from './evaluate-pairs.js';
import type { LabelledPair } from './labelled-pairs.js';
import { precisionCurve } from './precision-curve.js';

const vectors = {
  'reset password': [1, 0, 0],
  'ship to Canada': [0, 1, 0],
  'opening hours': [0, 0, 1],
  'how do I reset my password': [0.9, 0.1, 0],
  'forgot password': [0.8, 0, 0.6],
  'ship to Mexico': [0.1, 0.95, 0],
  'when do you open': [0, 0.6, 0.8],
  'are you open on sunday': [0, 0.8, 0.6],
};

const pairs: LabelledPair[] = [
  { a: 'reset password', b: 'how do I reset my password', same: true }, // nearest is its own: right
  { a: 'reset password', b: 'forgot password', same: true }, // the same origin again: one entry, right
  { a: 'ship to Canada', b: 'ship to Mexico', same: false }, // labelled different, close: wrong
  { a: 'opening hours', b: 'when do you open', same: true }, // own at 0.8, other at 0.6: right
  { a: 'opening hours', b: 'are you open on sunday', same: true }, // another pair's text is nearer: wrong
  { a: 'ship to Canada', b: 'opening hours', same: false }, // the query is a stored text: right on itself
];

function dejaWith(embedder: Embedder) {
  return createDeja({ store: memoryStore(), embedder, strict: false, maxErrorRate: false });
}

describe('evaluatePairs', () => {
  it('refuses a deja under the error bound, where a cold cache would read as no hits at all', async () => {
    const deja = createDeja({ store: memoryStore(), dimensions: 3 });
    await expect(evaluatePairs(deja, [])).rejects.toThrow(/maxErrorRate: false/);
    await deja.close();
  });

  it('looks every query up against all stored texts through responses.lookup and judges the nearest', async () => {
    const deja = dejaWith(fixedEmbedder(vectors, { dimensions: 3 }));
    const evaluation = await evaluatePairs(deja, pairs, { tenant: 'eval' });
    expect(evaluation.stored).toBe(3);
    const byText = Object.fromEntries(evaluation.queries.map((query) => [query.text, query]));
    expect(byText['how do I reset my password']).toMatchObject({ nearest: 'reset password', right: true });
    expect(byText['forgot password']).toMatchObject({
      nearest: 'reset password',
      right: true,
      bestSimilarity: expect.closeTo(0.8, 5),
    });
    expect(byText['ship to Mexico']).toMatchObject({
      nearest: 'ship to Canada',
      right: false,
      answerable: false,
    });
    expect(byText['when do you open']).toMatchObject({ nearest: 'opening hours', right: true });
    expect(byText['are you open on sunday']).toMatchObject({
      nearest: 'ship to Canada',
      right: false,
      answerable: true,
      bestSimilarity: expect.closeTo(0.8, 5),
    });
    expect(byText['opening hours']).toMatchObject({
      nearest: 'opening hours',
      right: true,
      bestSimilarity: expect.closeTo(1, 5),
    });
    // Every lookup went through the semantic tier, one per distinct query, and the tenant is left empty.
    expect(deja.stats()).toMatchObject({ semanticHits: 6, exactHits: 0 });
    expect(await deja.tenant('eval').count()).toBe(0);

    const [at79] = precisionCurve(evaluation.queries, [0.79]);
    expect(at79).toMatchObject({ hits: 6, rightHits: 4, wrongHits: 2, recall: 4 / 5 });
    await deja.close();
  });

  it('throws instead of counting trouble as misses', async () => {
    const inner = fixedEmbedder(vectors, { dimensions: 3 });
    const failing: Embedder = {
      ...inner,
      async embed(texts, signal) {
        if (texts.includes('ship to Mexico')) throw new Error('provider down');
        return inner.embed(texts, signal);
      },
    };
    const deja = dejaWith(failing);
    await expect(evaluatePairs(deja, pairs)).rejects.toThrow(DejaStoreError);
    await expect(evaluatePairs(deja, pairs)).rejects.toThrow(/reported 1 error\(s\) during the pass/);
    await deja.close();
  });

  it('refuses texts that cannot be embedded, before writing anything', async () => {
    const deja = createDeja({ store: memoryStore(), dimensions: 3, maxErrorRate: false });
    await expect(evaluatePairs(deja, pairs)).rejects.toThrow(DejaInputError);
    await expect(evaluatePairs(deja, pairs)).rejects.toThrow(/"reset password": it cannot be embedded/);
    await deja.close();
  });
});
