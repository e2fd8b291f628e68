import { describe, expect, it } from 'vitest';
import type { IndexSpec } from './create-index.js';
import { BATCHES_FROM_SHARE, hybridPolicyFor } from './hybrid-policy.js';

const hnsw: IndexSpec = { indexName: 'idx', prefix: 'p:', dimensions: 4, algorithm: 'HNSW' };
const flat: IndexSpec = { ...hnsw, algorithm: 'FLAT' };

describe('hybridPolicyFor', () => {
  it('asks for BATCHES on HNSW once the bucket holds the threshold share of the index', () => {
    expect(hybridPolicyFor(hnsw, { bucketEntries: 10_000, indexEntries: 10_000 })).toBe('BATCHES');
    expect(hybridPolicyFor(hnsw, { bucketEntries: BATCHES_FROM_SHARE * 1_000, indexEntries: 1_000 })).toBe(
      'BATCHES',
    );
  });

  it('leaves the choice to RediSearch for a small bucket (BATCHES is slowest there)', () => {
    expect(hybridPolicyFor(hnsw, { bucketEntries: 300, indexEntries: 100_000 })).toBeUndefined();
    expect(
      hybridPolicyFor(hnsw, { bucketEntries: BATCHES_FROM_SHARE * 1_000 - 1, indexEntries: 1_000 }),
    ).toBeUndefined();
  });

  it('sends nothing when the size is unknown, the index empty, or the index FLAT', () => {
    expect(hybridPolicyFor(hnsw, undefined)).toBeUndefined();
    expect(hybridPolicyFor(hnsw, { bucketEntries: 0, indexEntries: 0 })).toBeUndefined();
    expect(hybridPolicyFor(flat, { bucketEntries: 10, indexEntries: 10 })).toBeUndefined();
  });
});
