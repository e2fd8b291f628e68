// embed and embedMany through cachedEmbeddingModel, and aiSdkEmbedder as deja's embedder, on the
// memory store, Redis Stack and plain Redis, under ai@7 (EmbeddingModelV4) and ai@6 (V3).
import { createDeja, type Deja, redisStore } from '@deja/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import {
  aiSdkEmbedder,
  cachedEmbeddingModel,
  type DejaEmbeddingMiddlewareOptions,
  dejaEmbeddingMiddleware,
  dejaHitOf,
  dejaMiddleware,
} from '../src/index.ts';
import { asFloat32, embeddingModel, textModel, vectorOf } from './fixtures.ts';
import { majorsTimes } from './majors.ts';

describe.each(majorsTimes(STORE_KINDS))('embeddings through deja, %s, on %s', (_, kind, major) => {
  const { embed, embedMany, generateText, wrapLanguageModel } = major;
  // cachedEmbeddingModel wraps with the installed `ai`'s wrapEmbeddingModel: here that is ai@7, so
  // under ai@6 the suite wraps with ai@6's own, as cachedEmbeddingModel does in an ai@6 app.
  const cachedModel = (
    model: ReturnType<typeof embeddingModel>,
    options: DejaEmbeddingMiddlewareOptions,
  ): ReturnType<typeof cachedEmbeddingModel> =>
    major.spec === 'v4'
      ? cachedEmbeddingModel(model, options)
      : major.wrapEmbeddingModel({ model, middleware: dejaEmbeddingMiddleware(options) });
  let testStore: TestStore;
  let deja: Deja;
  let modelCounter = 0;
  // A fresh model id per test: vectors are namespaced by model, so tests do not see each other's.
  const nextModelId = () => `embed-${kind}-${++modelCounter}`;

  beforeAll(() => {
    testStore = makeTestStore(kind);
    deja = createDeja({ ...testStore.dejaOptions, statsFlushMs: 0 });
  });
  afterAll(async () => {
    await deja.close();
    await testStore.cleanup();
  });

  it('sends only the missing half of an embedMany to the provider, in batches of maxEmbeddingsPerCall, in order', async () => {
    const model = embeddingModel({ major, modelId: nextModelId(), maxEmbeddingsPerCall: 2 });
    const cached = cachedModel(model, { deja, dimensions: 8 });
    const known = ['apple', 'banana', 'cherry'];
    const unknown = ['date', 'elderberry', 'fig'];

    await embedMany({ model: cached, values: known });
    model.doEmbedCalls.length = 0;

    const mixed = ['date', 'apple', 'elderberry', 'banana', 'fig', 'cherry'];
    const result = await embedMany({ model: cached, values: mixed });

    const sent = model.doEmbedCalls.map((call) => call.values);
    expect(sent.flat().sort()).toEqual([...unknown].sort());
    for (const batch of sent) expect(batch.length).toBeLessThanOrEqual(2);
    expect(result.embeddings).toEqual(mixed.map((value) => asFloat32(vectorOf(value))));
    expect(result.usage.tokens).toBe(unknown.length * 3);
  });

  it('batches the misses of one large doEmbed call by maxEmbeddingsPerCall', async () => {
    const model = embeddingModel({ major, modelId: nextModelId(), maxEmbeddingsPerCall: 3 });
    const cached = cachedModel(model, { deja, dimensions: 8 });
    const values = Array.from({ length: 8 }, (_, i) => `value ${i}`);

    const result = await cached.doEmbed({ values });

    expect(model.doEmbedCalls.map((call) => call.values.length)).toEqual([3, 3, 2]);
    expect(result.embeddings).toEqual(values.map((value) => asFloat32(vectorOf(value))));
    expect(result.providerMetadata?.deja).toEqual({ cachedValues: 0, embeddedValues: 8 });

    const again = await cached.doEmbed({ values: [...values].reverse() });
    expect(model.doEmbedCalls).toHaveLength(3);
    expect(again.embeddings).toEqual([...values].reverse().map((value) => asFloat32(vectorOf(value))));
    expect(again.usage).toEqual({ tokens: 0 });
    expect(again.providerMetadata?.deja).toEqual({ cachedValues: 8, embeddedValues: 0 });
  });

  it('caches embed, learning the vector length from the first answer when not told', async () => {
    const model = embeddingModel({ major, modelId: nextModelId() });
    const first = await embed({ model: cachedModel(model, { deja }), value: 'kiwi' });
    // A new wrapper (as a per-request app makes) reads what the first one stored.
    const second = await embed({ model: cachedModel(model, { deja }), value: 'kiwi' });

    expect(model.doEmbedCalls).toHaveLength(1);
    expect(first.embedding).toEqual(asFloat32(vectorOf('kiwi')));
    expect(second.embedding).toEqual(first.embedding);

    // Another process (its own deja and connection, the same keys): the learned length was stored
    // beside the vectors, so the cached value is served without calling the provider.
    const restartedStore =
      testStore.url === undefined
        ? testStore.store
        : redisStore({ url: testStore.url, prefix: testStore.prefix });
    const restarted = createDeja({
      store: restartedStore,
      embeddingKeyPrefix: testStore.embeddingPrefix,
      statsFlushMs: 0,
    });
    try {
      const third = await embed({ model: cachedModel(model, { deja: restarted }), value: 'kiwi' });
      expect(third.embedding).toEqual(first.embedding);
      expect(model.doEmbedCalls).toHaveLength(1);
    } finally {
      if (restartedStore !== testStore.store) await restarted.close();
    }
  });

  it('keeps vectors of other provider options (and, on V4, other requested dimensions) apart', async () => {
    const model = embeddingModel({ major, modelId: nextModelId() });
    const cached = cachedModel(model, { deja });
    const asQuery = { mock: { inputType: 'query' } };
    const asDocument = { mock: { inputType: 'document' } };
    await embedMany({ model: cached, values: ['lime'], providerOptions: asQuery });
    await embedMany({ model: cached, values: ['lime'], providerOptions: asDocument });
    await embedMany({ model: cached, values: ['lime'], providerOptions: asQuery });
    expect(model.doEmbedCalls.map((call) => call.providerOptions)).toEqual([asQuery, asDocument]);
    if (major.spec === 'v3') return; // V3 embedding calls have no dimensions.
    await embedMany({ model: cached, values: ['lime'], dimensions: 8 });
    await embedMany({ model: cached, values: ['lime'], dimensions: 4 });
    expect(model.doEmbedCalls.slice(2).map((call) => call.dimensions)).toEqual([8, 4]);
  });

  it('serves as the embedder of semantic lookup through aiSdkEmbedder', async () => {
    const embeddings = embeddingModel({ major, modelId: nextModelId() });
    // Its own store: the vector index is made for the embedder's dimensions.
    const semanticStore = makeTestStore(kind);
    const embedder = aiSdkEmbedder(embeddings, { dimensions: 8 });
    expect(embedder.modelId).toBe(`mock-provider:${embeddings.modelId}`);
    const semantic = createDeja({ ...semanticStore.dejaOptions, embedder, statsFlushMs: 0 });
    const model = textModel({ major, answer: () => 'Forty-two.' });
    const wrapped = wrapLanguageModel({
      model,
      middleware: dejaMiddleware({
        deja: semantic,
        tenant: `semantic-${kind}-${major.spec}`,
        minSimilarity: 0.97,
      }),
    });

    await generateText({ model: wrapped, prompt: 'What is the answer to everything?' });
    const paraphrased = await generateText({ model: wrapped, prompt: 'What is the answer to everything!' });

    expect(model.doGenerateCalls).toHaveLength(1);
    expect(paraphrased.text).toBe('Forty-two.');
    expect(dejaHitOf(paraphrased.providerMetadata)?.hit).toBe('semantic');
    expect(embeddings.doEmbedCalls.length).toBeGreaterThan(0);
    await semantic.close();
    await semanticStore.cleanup();
  });
});
