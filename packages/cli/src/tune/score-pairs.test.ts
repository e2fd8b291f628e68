import { countingEmbedder, fixedEmbedder } from '@deja/core/testing';
import { describe, expect, it } from 'vitest';
import { scorePairs } from './score-pairs.js';

describe('scorePairs', () => {
  it('scores each pair by cosine similarity, embedding every distinct text once', async () => {
    const embedder = countingEmbedder(
      fixedEmbedder({ cat: [1, 0, 0], kitten: [0.8, 0.6, 0], car: [0, 0, 1] }, { dimensions: 3 }),
    );
    const scored = await scorePairs(
      [
        { a: 'cat', b: 'kitten', same: true },
        { a: 'cat', b: 'car', same: false },
        { a: 'kitten', b: 'car', same: false },
      ],
      embedder,
    );
    expect(scored.map((pair) => pair.similarity)).toEqual([expect.closeTo(0.8, 6), 0, 0]);
    expect(scored.map((pair) => pair.same)).toEqual([true, false, false]);
    expect(embedder.texts.sort()).toEqual(['car', 'cat', 'kitten']);
  });

  it('respects the embedder batch limit', async () => {
    const inner = countingEmbedder(fixedEmbedder({}, { dimensions: 8 }));
    const limited = { ...inner, maxBatchSize: 2, embed: inner.embed };
    const pairs = ['a', 'b', 'c', 'd', 'e'].map((text) => ({ a: text, b: `${text}!`, same: true }));
    await scorePairs(pairs, limited);
    expect(inner.calls).toBe(5);
    expect(inner.texts).toHaveLength(10);
  });
});
