import { describe, expect, it } from 'vitest';
import { DejaInputError } from './errors.js';
import { bytesToVector, cosineSimilarity, validateVector, vectorToBytes } from './vectors.js';

describe('vectors', () => {
  it('round-trips float32 bytes and rejects bytes of another length', () => {
    const vector = Float32Array.from([0.5, -1, 2]);
    expect(bytesToVector(vectorToBytes(vector), 3)).toEqual(vector);
    expect(bytesToVector(vectorToBytes(vector), 4)).toBeUndefined();
  });

  it('refuses wrong dimensions, NaN, Infinity and zero vectors with a typed error', () => {
    expect(() => validateVector([1, 2], 3)).toThrow(DejaInputError);
    expect(() => validateVector([1, Number.NaN, 0], 3)).toThrow(/non-finite/);
    expect(() => validateVector([1, Number.POSITIVE_INFINITY, 0], 3)).toThrow(/non-finite/);
    expect(() => validateVector([0, 0, 0], 3)).toThrow(/zero norm/);
  });

  it('computes cosine similarity', () => {
    expect(cosineSimilarity(Float32Array.from([1, 0]), Float32Array.from([1, 0]))).toBeCloseTo(1);
    expect(cosineSimilarity(Float32Array.from([1, 0]), Float32Array.from([0, 1]))).toBeCloseTo(0);
    expect(cosineSimilarity([2, 0], [5, 0])).toBe(1);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });
});
