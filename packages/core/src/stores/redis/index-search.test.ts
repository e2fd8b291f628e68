import { describe, expect, it } from 'vitest';
import { calculateSlot } from './cluster-shards.js';
import { createIndexArgs, type IndexSpec } from './create-index.js';
import { mergeReplies, parseRedirect, tenantIndexSpec } from './index-search.js';

const SPEC: IndexSpec = { indexName: 'deja-idx', prefix: 'cache:', dimensions: 4, algorithm: 'FLAT' };
const TENANT = 'ab12';

describe('tenant indexes on a cluster', () => {
  it('name and prefix carry the tenant hash tag, so they share the slot of its entries', () => {
    const spec = tenantIndexSpec(SPEC, TENANT);
    expect(spec).toMatchObject({ indexName: 'deja-idx:{ab12}', prefix: 'cache:{ab12}:', blockSize: 128 });
    expect(calculateSlot(spec.indexName)).toBe(calculateSlot(`cache:{${TENANT}}:some-entry`));
    expect(createIndexArgs(spec)).toEqual(
      expect.arrayContaining(['PREFIX', '1', 'cache:{ab12}:', 'BLOCK_SIZE', '128']),
    );
  });

  it('computes the slots Redis computes (values from CLUSTER KEYSLOT)', () => {
    expect(calculateSlot('deja-idx')).toBe(4540);
    expect(calculateSlot('foo')).toBe(12182);
    expect(calculateSlot('{user1000}.following')).toBe(calculateSlot('user1000'));
    // An empty tag does not count: the whole key is hashed.
    expect(calculateSlot('foo{}{bar}')).not.toBe(calculateSlot('bar'));
  });

  it('reads MOVED and ASK redirects and nothing else', () => {
    expect(parseRedirect(new Error('MOVED 4540 127.0.0.1:7001'))).toEqual({
      kind: 'MOVED',
      address: '127.0.0.1:7001',
    });
    expect(parseRedirect('ASK 1 10.0.0.2:6379')).toEqual({ kind: 'ASK', address: '10.0.0.2:6379' });
    expect(parseRedirect(new Error('Unknown index name'))).toBeUndefined();
  });

  it('merges replies of several indexes', () => {
    const doc = (key: string) => ({ key, fields: {} });
    expect(
      mergeReplies([
        { total: 2, documents: [doc('a')] },
        { total: 3, documents: [doc('b')] },
      ]),
    ).toEqual({
      total: 5,
      documents: [doc('a'), doc('b')],
    });
  });
});
