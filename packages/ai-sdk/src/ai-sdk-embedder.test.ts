import { createDeja, DejaConfigError } from '@deja/core';
import { MockEmbeddingModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { aiSdkEmbedder } from './ai-sdk-embedder.js';
import { embeddingModelId } from './embedding-model-id.js';

const model = (maxEmbeddingsPerCall: number | PromiseLike<number> | null) =>
  new MockEmbeddingModelV4({
    provider: 'voyage',
    modelId: 'voyage-3',
    maxEmbeddingsPerCall,
    doEmbed: async ({ values }) => ({ embeddings: values.map((value) => [value.length, 1]), warnings: [] }),
  });

describe('aiSdkEmbedder', () => {
  it('names itself provider:modelId; deja embeds through it in batches of maxEmbeddingsPerCall, in order', async () => {
    const inner = model(Promise.resolve(2));
    const embedder = aiSdkEmbedder(inner, { dimensions: 2 });
    expect(embedder.modelId).toBe('voyage:voyage-3');
    expect(embedder.dimensions).toBe(2);
    const deja = createDeja({ embedder, statsFlushMs: 0 });
    expect(await deja.embeddings.embed(['a', 'bb', 'ccc', 'dddd', 'eeeee'])).toEqual(
      [1, 2, 3, 4, 5].map((length) => Float32Array.from([length, 1])),
    );
    expect(inner.doEmbedCalls.map((call) => call.values)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    await deja.close();
  });

  it('declares the model limit as its batch size, and deja sends everything at once without one', async () => {
    expect(aiSdkEmbedder(model(96), { dimensions: 2 }).maxBatchSize).toBe(96);
    // null: the mock's way of saying "no limit" (it defaults to 1).
    const unlimited = model(null);
    const deja = createDeja({ embedder: aiSdkEmbedder(unlimited, { dimensions: 2 }), statsFlushMs: 0 });
    await deja.embeddings.embed(['a', 'b', 'c']);
    expect(unlimited.doEmbedCalls.map((call) => call.values)).toEqual([['a', 'b', 'c']]);
    await deja.close();
  });

  it('refuses a missing or bad dimensions and a non-model with a DejaConfigError', () => {
    expect(() => aiSdkEmbedder(model(1), { dimensions: 0 })).toThrow(DejaConfigError);
    expect(() => aiSdkEmbedder(model(1), {} as never)).toThrow(DejaConfigError);
    expect(() => aiSdkEmbedder({} as never, { dimensions: 2 })).toThrow(DejaConfigError);
  });
});

describe('embeddingModelId', () => {
  it('separates calls whose settings change the vectors', () => {
    const base = { provider: 'openai.embedding', modelId: 'text-embedding-3-small' };
    expect(embeddingModelId(base)).toBe('openai.embedding:text-embedding-3-small');
    expect(embeddingModelId(base, { providerOptions: {} })).toBe('openai.embedding:text-embedding-3-small');
    const ids = new Set([
      embeddingModelId(base),
      embeddingModelId(base, { dimensions: 256 }),
      embeddingModelId(base, { dimensions: 512 }),
      embeddingModelId(base, { providerOptions: { voyage: { inputType: 'query' } } }),
      embeddingModelId(base, { providerOptions: { voyage: { inputType: 'document' } } }),
    ]);
    expect(ids.size).toBe(5);
    // Kept as given: deja escapes the id in keys, one-to-one (`a b` and `a_b` stay two models).
    expect(embeddingModelId({ provider: 'my provider', modelId: '{x}' })).toBe('my provider:{x}');
  });
});
