// deja.embeddings and deja.cachedEmbedder on memoryStore through the public API: only misses reach
// the model, once per distinct text, answers come back in the caller's order, batches respect the
// model's limit, and two models never share a vector.
import { describe, expect, it } from 'vitest';
import { DejaConfigError, DejaInputError, lexicalEmbedder } from '../src/index.ts';
import { countingEmbedder } from '../src/testing/index.ts';
import { memoryDeja } from './support.ts';

const lexical = (dimensions = 16) => lexicalEmbedder({ dimensions });

describe('embedding cache', () => {
  it('embeds each distinct text once, in the caller’s order, and serves repeats from the cache', async () => {
    const counting = countingEmbedder(lexical());
    const { deja } = memoryDeja({ embedder: counting });
    const first = await deja.embeddings.embed(['alpha', 'beta', 'alpha', 'gamma']);
    expect(counting.texts).toEqual(['alpha', 'beta', 'gamma']);
    expect(first).toEqual(await lexical().embed(['alpha', 'beta', 'alpha', 'gamma']));

    counting.texts.length = 0;
    const second = await deja.embeddings.embed(['gamma', 'delta', 'alpha']);
    expect(counting.texts).toEqual(['delta']);
    expect(second).toEqual(await lexical().embed(['gamma', 'delta', 'alpha']));
    expect(deja.stats()).toMatchObject({ embeddingMisses: 4, embeddingHits: 2 });
  });

  it('sends the model no more texts per call than its maxBatchSize', async () => {
    const limited = countingEmbedder({ ...lexical(8), maxBatchSize: 3 });
    const { deja } = memoryDeja({ embedder: limited });
    await deja.embeddings.embed(Array.from({ length: 7 }, (_, i) => `text ${i}`));
    expect(limited.calls).toBe(3);
    expect(limited.texts).toHaveLength(7);
  });

  it('never shares vectors between models, even of one dimension', async () => {
    const one = countingEmbedder(lexicalEmbedder({ dimensions: 16, n: 3 }));
    const two = countingEmbedder(lexicalEmbedder({ dimensions: 16, n: 2 }));
    expect(one.modelId).not.toBe(two.modelId);
    const { deja } = memoryDeja({ embedder: one });
    const other = deja.cachedEmbedder(two);
    const [fromOne] = await deja.embeddings.embed(['shared text']);
    const [fromTwo] = await other.embed(['shared text']);
    expect(two.texts).toEqual(['shared text']);
    expect(fromTwo).not.toEqual(fromOne);
    await other.embed(['shared text']);
    expect(two.calls).toBe(1);
  });

  it('does not cache when cacheEmbeddings is false', async () => {
    const counting = countingEmbedder(lexical());
    const { deja } = memoryDeja({ embedder: counting, cacheEmbeddings: false });
    await deja.embeddings.embed(['alpha']);
    await deja.embeddings.embed(['alpha']);
    expect(counting.calls).toBe(2);
  });

  it('a deja without an embedder says so; a bad embedder is a config error', () => {
    const { deja } = memoryDeja({ embedder: undefined });
    expect(() => deja.embeddings).toThrow(DejaInputError);
    expect(() => deja.cachedEmbedder({ modelId: 'm', dimensions: 0, embed: async () => [] })).toThrow(
      DejaConfigError,
    );
  });
});
