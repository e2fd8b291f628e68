import { describe, expect, it } from 'vitest';
import {
  bucketCountArgs,
  knnBucket,
  knnQueryArgs,
  parseSearchReply,
  taggedEntriesQueryArgs,
  userEntriesQueryArgs,
} from './knn-query.js';

const parts = { tenant: 'ab12', scope: 'cd34', user: '0', model: 'f0' };
const bucket = knnBucket('ee', parts);

describe('knnQueryArgs', () => {
  it('pre-filters on the one bucket tag and asks for k neighbours by distance', () => {
    const vector = Buffer.from([1, 2, 3, 4]);
    const args = knnQueryArgs({ indexName: 'idx', bucket, vector, k: 3 });
    expect(args).toEqual([
      'FT.SEARCH',
      'idx',
      `(@bucket:{${bucket}})=>[KNN 3 @embedding $vector AS __distance]`,
      'PARAMS',
      '2',
      'vector',
      vector,
      'SORTBY',
      '__distance',
      'ASC',
      'RETURN',
      '12',
      'text',
      'ns',
      'tenant',
      'user',
      'scope',
      'model',
      'bucket',
      'tags',
      'created_at',
      'response',
      'meta',
      '__distance',
      'LIMIT',
      '0',
      '3',
      'DIALECT',
      '2',
    ]);
  });

  it('passes EF_RUNTIME for HNSW', () => {
    const args = knnQueryArgs({ indexName: 'idx', bucket, vector: Buffer.alloc(4), k: 1, efRuntime: 50 });
    expect(args[2]).toBe(`(@bucket:{${bucket}})=>[KNN 1 @embedding $vector EF_RUNTIME 50 AS __distance]`);
  });

  it('passes the hybrid policy when one is chosen, before EF_RUNTIME', () => {
    const args = knnQueryArgs({
      indexName: 'idx',
      bucket,
      vector: Buffer.alloc(4),
      k: 2,
      efRuntime: 20,
      hybridPolicy: 'BATCHES',
    });
    expect(args[2]).toBe(
      `(@bucket:{${bucket}})=>[KNN 2 @embedding $vector HYBRID_POLICY BATCHES EF_RUNTIME 20 AS __distance]`,
    );
  });

  it('refuses a bucket that is not a hex digest, so nothing can reach the query text', () => {
    expect(() =>
      knnQueryArgs({ indexName: 'idx', bucket: 'a} | @x:{b', vector: Buffer.alloc(4), k: 1 }),
    ).toThrow(/hex/);
  });
});

describe('knnBucket', () => {
  it('is a 64-hex digest; ids with query syntax only change the digest, never the query text', () => {
    expect(bucket).toMatch(/^[0-9a-f]{64}$/);
    const hostile = knnBucket('ee', { ...parts, tenant: 'a} | @x:{b' });
    expect(hostile).toMatch(/^[0-9a-f]{64}$/);
    expect(
      knnQueryArgs({ indexName: 'idx', bucket: hostile, vector: Buffer.alloc(4), k: 1 })[2],
    ).not.toContain('@x');
  });

  it('differs when any part differs, an absent model included, and parts cannot be shifted', () => {
    const buckets = [
      bucket,
      knnBucket('ef', parts),
      knnBucket('ee', { ...parts, tenant: 'ab13' }),
      knnBucket('ee', { ...parts, scope: 'cd35' }),
      knnBucket('ee', { ...parts, user: '1' }),
      knnBucket('ee', { ...parts, model: undefined }),
      // The same characters split differently between parts.
      knnBucket('ee', { ...parts, tenant: 'ab12c', scope: 'd34' }),
    ];
    expect(new Set(buckets).size).toBe(buckets.length);
    expect(knnBucket('ee', { ...parts })).toBe(bucket);
  });
});

describe('bucketCountArgs', () => {
  it('counts one bucket without returning documents', () => {
    expect(bucketCountArgs('idx', bucket)).toEqual([
      'FT.SEARCH',
      'idx',
      `@bucket:{${bucket}}`,
      'LIMIT',
      '0',
      '0',
      'DIALECT',
      '2',
    ]);
    expect(() => bucketCountArgs('idx', 'x}')).toThrow(/hex/);
  });
});

describe('parseSearchReply', () => {
  it('reads RESP2 arrays', () => {
    expect(parseSearchReply([1, 'k1', ['response', 'r', '__distance', '0.1']])).toEqual({
      total: 1,
      documents: [{ key: 'k1', fields: { response: 'r', __distance: '0.1' } }],
    });
  });

  it('reads RESP3 maps', () => {
    const reply = {
      total_results: 1,
      results: [{ id: 'k1', extra_attributes: { response: 'r' }, values: [] }],
    };
    expect(parseSearchReply(reply)).toEqual({
      total: 1,
      documents: [{ key: 'k1', fields: { response: 'r' } }],
    });
  });
});

describe('userEntriesQueryArgs', () => {
  it('finds one user’s entries of a tenant written up to a moment', () => {
    expect(userEntriesQueryArgs('idx', 'ee', 'ab', 'cd', 1_700, 500)).toEqual([
      'FT.SEARCH',
      'idx',
      '@ns:{ee} @tenant:{ab} @user:{cd} @created_at:[-inf 1700]',
      'RETURN',
      '1',
      'user',
      'LIMIT',
      '0',
      '500',
      'DIALECT',
      '2',
    ]);
    expect(() => userEntriesQueryArgs('idx', 'ee', 'ab', 'x}|', 1, 1)).toThrow(/hex/);
  });
});

describe('taggedEntriesQueryArgs', () => {
  it('finds the entries of a tenant carrying a tag digest, written strictly before a moment', () => {
    expect(taggedEntriesQueryArgs('idx', 'ee', 'ab', 'f00d', 1_700, 500)).toEqual([
      'FT.SEARCH',
      'idx',
      '@ns:{ee} @tenant:{ab} @tags:{f00d} @created_at:[-inf (1700]',
      'RETURN',
      '1',
      'tags',
      'LIMIT',
      '0',
      '500',
      'DIALECT',
      '2',
    ]);
    expect(() => taggedEntriesQueryArgs('idx', 'ee', 'ab', 'doc:42', 1, 1)).toThrow(/hex/);
  });
});
