import { countingEmbedder, fixedEmbedder } from '@deja/core/testing';
import { describe, expect, it } from 'vitest';
import { DejaCliError } from '../errors.js';
import { embedOnce } from './embed-once.js';

describe('embedOnce', () => {
  it('embeds each distinct text once, in the embedder batches, and answers from those vectors', async () => {
    const inner = countingEmbedder(fixedEmbedder({ cat: [1, 0, 0] }, { dimensions: 3 }));
    const limited = { ...inner, maxBatchSize: 2, embed: inner.embed };
    const embedder = await embedOnce(['cat', 'dog', 'cat', 'eel', 'fox', 'dog'], limited);
    expect(inner.calls).toBe(2);
    expect(inner.texts).toEqual(['cat', 'dog', 'eel', 'fox']);
    const [cat, fox] = await embedder.embed(['cat', 'fox']);
    expect(cat).toEqual([1, 0, 0]);
    expect(fox).toHaveLength(3);
    expect(inner.calls).toBe(2);
    expect([embedder.modelId, embedder.dimensions]).toEqual([inner.modelId, 3]);
    await expect(embedder.embed(['gnu'])).rejects.toThrow(DejaCliError);
  });

  it('refuses an embedder that returns the wrong number of vectors', async () => {
    const short = { modelId: 'short', dimensions: 3, embed: async () => [[1, 0, 0]] };
    await expect(embedOnce(['a', 'b'], short)).rejects.toThrow(/returned 1 vectors for 2 texts/);
  });
});
