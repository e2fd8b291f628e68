import type { LabelledPair } from '@deja/core/evaluation';
import { fixedEmbedder } from '@deja/core/testing';
import { describe, expect, it } from 'vitest';
import { tuneThreshold } from './tune-threshold.js';

// 20 stored questions (basis vectors). Each has a paraphrase at similarity 0.995 (right) and a
// different question at similarity 0.69 to it (a wrong hit at any threshold <= 0.69).
const DIMENSIONS = 40;
const unit = (weights: Record<number, number>) => {
  const vector = new Array(DIMENSIONS).fill(0);
  for (const [slot, weight] of Object.entries(weights)) vector[Number(slot)] = weight;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
};
const vectors: Record<string, number[]> = {};
const pairs: LabelledPair[] = [];
for (let i = 0; i < 20; i++) {
  vectors[`stored ${i}`] = unit({ [i]: 1 });
  vectors[`paraphrase ${i}`] = unit({ [i]: 1, [i + 20]: 0.1 });
  vectors[`different ${i}`] = unit({ [i]: 0.69, [i + 20]: Math.sqrt(1 - 0.69 ** 2) });
  pairs.push({ a: `stored ${i}`, b: `paraphrase ${i}`, same: true });
  pairs.push({ a: `stored ${i}`, b: `different ${i}`, same: false });
}
const embedder = fixedEmbedder(vectors, { dimensions: DIMENSIONS });

describe('tuneThreshold', () => {
  it('chooses on the tuning half by the lower bound and reports the held-out half', async () => {
    const result = await tuneThreshold({ pairs, embedder, targetPrecision: 0.5, seed: 1 });
    expect(result.tuning.queries + result.heldOut.queries).toBe(40);
    expect(result.tuning.pairs + result.heldOut.pairs).toBe(40);
    // Up to 0.69 half the hits are wrong (bound < 0.5); from 0.70 every hit is right.
    expect(result.recommended?.threshold).toBe(0.7);
    expect(result.recommended?.tuning.precision).toBe(1);
    expect(result.recommended?.heldOut).toMatchObject({ precision: 1, recall: 1, wrongHits: 0 });
    expect(result.recommended?.heldOut.hits).toBe(result.heldOut.answerable);
    expect(result.closest).toBeUndefined();
  });

  it('recommends nothing when the bound cannot reach the target, and says how close it came', async () => {
    // About ten right hits per half: a bound near 0.7, never 0.9.
    const result = await tuneThreshold({ pairs, embedder, targetPrecision: 0.9, seed: 1 });
    expect(result.recommended).toBeUndefined();
    expect(result.closest?.threshold).toBe(0.7);
    expect(result.closest?.tuning.precisionLowerBound).toBeLessThan(0.9);
  });

  it('needs queries for both halves', async () => {
    await expect(
      tuneThreshold({ pairs: [pairs[0] as LabelledPair], embedder, targetPrecision: 0.9, seed: 1 }),
    ).rejects.toThrow(/at least 2 different query texts/);
  });
});
