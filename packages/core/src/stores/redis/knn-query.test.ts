import { describe, expect, it } from 'vitest';
import { knnQueryArgs, parseSearchReply, taggedEntriesQueryArgs, userEntriesQueryArgs } from './knn-query.js';

const tags = { ns: 'ee', tenant: 'ab12', scope: 'cd34', user: '0', model: 'f0' };

describe('knnQueryArgs', () => {
  it('pre-filters on namespace, tenant, scope, user and model and asks for k neighbours by distance', () => {
    const vector = Buffer.from([1, 2, 3, 4]);
    const args = knnQueryArgs({ indexName: 'idx', ...tags, vector, k: 3 });
    expect(args).toEqual([
      'FT.SEARCH',
      'idx',
      '(@ns:{ee} @tenant:{ab12} @scope:{cd34} @user:{0} @model:{f0})=>[KNN 3 @embedding $vector AS __distance]',
      'PARAMS',
      '2',
      'vector',
      vector,
      'SORTBY',
      '__distance',
      'ASC',
      'RETURN',
      '11',
      'text',
      'ns',
      'tenant',
      'user',
      'scope',
      'model',
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
    const args = knnQueryArgs({ indexName: 'idx', ...tags, vector: Buffer.alloc(4), k: 1, efRuntime: 50 });
    expect(args[2]).toContain('EF_RUNTIME 50 AS __distance');
  });

  it('refuses tag values that are not hex digests, so no id can reach the query text', () => {
    expect(() =>
      knnQueryArgs({ indexName: 'idx', ...tags, tenant: 'a} | @x:{b', vector: Buffer.alloc(4), k: 1 }),
    ).toThrow(/hex/);
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
