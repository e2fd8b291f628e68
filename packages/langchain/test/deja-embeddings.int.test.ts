// DejaEmbeddings and langchainEmbedder with LangChain's fake embeddings, on all three stores.
import { createDeja, type Deja, type DejaErrorEvent, redisStore } from '@deja/core';
import { HumanMessage } from '@langchain/core/messages';
import { SyntheticEmbeddings } from '@langchain/core/utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import { DejaCache, DejaEmbeddings, langchainEmbedder } from '../src/index.js';
import { CountingChatModel, CountingEmbeddings } from './fakes.ts';

/** What the cache hands back: the model's numbers at float32 precision (what Redis keeps). */
const asStored = (vectors: number[][]) => vectors.map((vector) => Array.from(Float32Array.from(vector)));

describe.each(STORE_KINDS)('DejaEmbeddings on %s', (kind) => {
  let testStore: TestStore;
  let deja: Deja;
  const errors: DejaErrorEvent[] = [];
  let modelCounter = 0;
  /** A fresh model name per test, so tests sharing the store do not share vectors. */
  const freshModel = (batchSize?: number) =>
    new CountingEmbeddings(`synthetic-${kind}-${++modelCounter}`, batchSize);

  beforeAll(async () => {
    testStore = makeTestStore(kind);
    deja = createDeja({ ...testStore.dejaOptions, onError: (event) => errors.push(event) });
    await deja.ready();
  });
  afterAll(async () => {
    await deja.close();
    await testStore.cleanup();
    expect(errors).toEqual([]);
  });

  it('sends only the missing texts of a half-cached embedDocuments, in batches, in the caller order', async () => {
    const inner = freshModel(2);
    const cached = new DejaEmbeddings({ deja, embeddings: inner, dimensions: 8 });
    const first = await cached.embedDocuments(['alpha', 'bravo', 'charlie']);
    expect(inner.documentBatches).toEqual([['alpha', 'bravo'], ['charlie']]);

    const before = deja.stats();
    const mixed = ['delta', 'alpha', 'echo', 'bravo', 'charlie', 'foxtrot'];
    const vectors = await cached.embedDocuments(mixed);
    expect(inner.documentBatches.slice(2)).toEqual([['delta', 'echo'], ['foxtrot']]);
    expect(vectors).toEqual(asStored(await new CountingEmbeddings().embedDocuments(mixed)));
    expect(vectors[1]).toEqual(first[0]);
    const after = deja.stats();
    expect(after.embeddingHits - before.embeddingHits).toBe(3);
    expect(after.embeddingMisses - before.embeddingMisses).toBe(3);
  });

  it('embeds a text repeated within one call once, and an empty list not at all', async () => {
    const inner = freshModel();
    const cached = new DejaEmbeddings({ deja, embeddings: inner, dimensions: 8 });
    const vectors = await cached.embedDocuments(['same', 'other', 'same']);
    expect(inner.documentTexts).toEqual(['same', 'other']);
    expect(vectors[0]).toEqual(vectors[2]);
    expect(await cached.embedDocuments([])).toEqual([]);
    expect(inner.documentBatches).toHaveLength(1);
  });

  it('caches queries too, apart from documents', async () => {
    const inner = freshModel();
    const cached = new DejaEmbeddings({ deja, embeddings: inner, dimensions: 8 });
    const query = await cached.embedQuery('where is paris');
    expect(await cached.embedQuery('where is paris')).toEqual(query);
    expect(inner.queries).toEqual(['where is paris']);
    expect(query).toEqual(asStored([await inner.embedQuery('where is paris')])[0]);

    // The same text as a document is the model's document vector, not the cached query one.
    const [document] = await cached.embedDocuments(['where is paris']);
    expect(inner.documentTexts).toEqual(['where is paris']);
    expect(document).not.toEqual(query);
  });

  it('never lets two models share vectors', async () => {
    const first = freshModel();
    const second = freshModel();
    await new DejaEmbeddings({ deja, embeddings: first, dimensions: 8 }).embedDocuments(['shared text']);
    await new DejaEmbeddings({ deja, embeddings: second, dimensions: 8 }).embedDocuments(['shared text']);
    expect(first.documentTexts).toEqual(['shared text']);
    expect(second.documentTexts).toEqual(['shared text']);
  });

  it('learns the dimensions from the first vectors, and a new process sends no cached text to the model', async () => {
    const inner = freshModel();
    const learning = new DejaEmbeddings({ deja, embeddings: inner });
    const first = await learning.embedDocuments(['one', 'two']);
    const again = await learning.embedDocuments(['two', 'three']);
    const query = await learning.embedQuery('one');
    expect(inner.documentBatches).toEqual([['one', 'two'], ['three']]);
    expect(again[0]).toEqual(first[1]);

    // Another process: its own deja and store connection, the same keys, no dimensions given.
    const restartedStore =
      testStore.url === undefined
        ? testStore.store
        : redisStore({ url: testStore.url, prefix: testStore.prefix });
    const restarted = createDeja({
      store: restartedStore,
      embeddingKeyPrefix: testStore.embeddingPrefix,
      statsFlushMs: 0,
      onError: (event) => errors.push(event),
    });
    try {
      const sameModel = new CountingEmbeddings(inner.model);
      const cached = new DejaEmbeddings({ deja: restarted, embeddings: sameModel });
      expect(await cached.embedDocuments(['three', 'one', 'two'])).toEqual([again[1], first[0], first[1]]);
      expect(await cached.embedQuery('one')).toEqual(query);
      expect(sameModel.documentBatches).toEqual([]);
      expect(sameModel.queries).toEqual([]);
      expect(restarted.stats().embeddingMisses).toBe(0);
    } finally {
      // The memory kind shares the first deja's store object, which closes it at the end.
      if (restartedStore !== testStore.store) await restarted.close();
    }
  });

  it('serves as deja embedder through langchainEmbedder, so DejaCache matches by its vectors', async () => {
    // SyntheticEmbeddings ignores case and punctuation: these two prompts get one vector.
    const synthetic = new SyntheticEmbeddings({ vectorSize: 16 });
    // Its own store: the vector index takes the embedder's dimensions when the store starts.
    const semanticStore = makeTestStore(kind);
    const semanticDeja = createDeja({
      ...semanticStore.dejaOptions,
      embedder: langchainEmbedder(synthetic, { modelId: 'synthetic-16', dimensions: 16 }),
      onError: (event) => errors.push(event),
    });
    try {
      const model = new CountingChatModel({
        responses: ['Paris'],
        cache: new DejaCache({ deja: semanticDeja, tenant: 'synthetic' }),
      });
      await model.invoke([new HumanMessage('What is the capital of France?')]);
      expect((await model.invoke([new HumanMessage('what is the capital of france')])).content).toBe('Paris');
      expect(model.calls).toBe(1);
      expect(semanticDeja.stats()).toMatchObject({ semanticHits: 1, exactHits: 0 });
    } finally {
      await semanticDeja.close();
      await semanticStore.cleanup();
    }
  });
});
