import { describe, expect, it } from 'vitest';
import type { StoreEntry } from '../types.js';
import {
  decodeEntryFields,
  entryHashFields,
  FOREIGN,
  indexSchemaArgs,
  NO_MODEL,
  READ_FIELDS,
  TAG_FIELDS,
} from './entry-schema.js';
import { knnBucket } from './knn-query.js';

const NS = 'a1b2';

const entry: StoreEntry = {
  id: 'e1',
  tenant: 'ab',
  user: '0',
  scope: 'cd',
  text: 'hello',
  response: '{"v":1}',
  meta: '{}',
  createdAt: 1_000,
};

describe('entry schema', () => {
  it('derives the fields read back, the tag fields and the index schema from one definition', () => {
    expect(READ_FIELDS).toEqual([
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
    ]);
    expect(TAG_FIELDS).toEqual(['ns', 'tenant', 'user', 'scope', 'model', 'bucket', 'tags']);
    expect(indexSchemaArgs(['FLAT', '2', 'A', 'B'])).toEqual([
      'text',
      'TEXT',
      'ns',
      'TAG',
      'tenant',
      'TAG',
      'user',
      'TAG',
      'scope',
      'TAG',
      'model',
      'TAG',
      'bucket',
      'TAG',
      'tags',
      'TAG',
      'created_at',
      'NUMERIC',
      'SORTABLE',
      'embedding',
      'VECTOR',
      'FLAT',
      '2',
      'A',
      'B',
    ]);
  });

  it('writes the bucket a KNN of the same namespace, tenant, scope, user and model searches', () => {
    const bucketOfWrite = (written: StoreEntry, ns = NS) => {
      const fields = entryHashFields(written, ns);
      return fields[fields.indexOf('bucket') + 1];
    };
    expect(bucketOfWrite(entry)).toBe(knnBucket(NS, entry));
    expect(bucketOfWrite({ ...entry, model: 'f0' })).toBe(knnBucket(NS, { ...entry, model: 'f0' }));
    // Any one part changed is another bucket; a missing model is its own bucket too.
    const others = [
      bucketOfWrite(entry, 'a1b3'),
      bucketOfWrite({ ...entry, tenant: 'ac' }),
      bucketOfWrite({ ...entry, scope: 'ce' }),
      bucketOfWrite({ ...entry, user: '1' }),
      bucketOfWrite({ ...entry, model: 'f0' }),
      bucketOfWrite({ ...entry, model: NO_MODEL }),
    ];
    expect(new Set([bucketOfWrite(entry), ...others]).size).toBe(others.length);
    expect(bucketOfWrite(entry)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes no tags field for an entry without tags (it reads back without tags)', () => {
    expect(entryHashFields(entry, NS)).not.toContain('tags');
    expect(entryHashFields({ ...entry, tags: [] }, NS)).not.toContain('tags');
  });

  it('writes the vector as float32 bytes only when there is one', () => {
    expect(entryHashFields(entry, NS)).not.toContain('embedding');
    const fields = entryHashFields({ ...entry, embedding: Float32Array.from([1, 0]) }, NS);
    const bytes = fields[fields.indexOf('embedding') + 1] as Buffer;
    expect([...new Float32Array(bytes.buffer, bytes.byteOffset, 2)]).toEqual([1, 0]);
  });

  it('decodes what it wrote, tags included, from HMGET order and from a FT.SEARCH record', () => {
    const tagged = { ...entry, tags: ['t1', 't2'] };
    const written = entryHashFields(tagged, NS);
    const byName = Object.fromEntries(
      READ_FIELDS.map((name) => [name, String(written[written.indexOf(name) + 1])]),
    );
    const { embedding: _, ...stored } = tagged;
    expect(decodeEntryFields('e1', byName, NS)).toEqual(stored);
    expect(
      decodeEntryFields(
        'e1',
        READ_FIELDS.map((name) => byName[name]),
        NS,
      ),
    ).toEqual(stored);
  });

  it('reads no fields as no entry, and some missing fields as a damaged entry the cache rejects', () => {
    expect(
      decodeEntryFields(
        'e1',
        READ_FIELDS.map(() => null),
        NS,
      ),
    ).toBeUndefined();
    expect(decodeEntryFields('e1', { tenant: 'ab', ns: NS }, NS)).toEqual({
      id: 'e1',
      tenant: 'ab',
      user: '',
      scope: '',
      text: '',
      response: '',
      meta: '{}',
      createdAt: 0,
    });
  });

  it('reads a hash without this namespace’s marker as foreign, never as an entry', () => {
    const written = entryHashFields({ ...entry, model: 'cd' }, NS);
    const byName = Object.fromEntries(
      READ_FIELDS.map((name) => [name, String(written[written.indexOf(name) + 1])]),
    );
    expect(decodeEntryFields('e1', byName, NS)).toMatchObject({ model: 'cd' });
    expect(decodeEntryFields('e1', byName, 'ff')).toBe(FOREIGN);
    expect(decodeEntryFields('e1', { ...byName, ns: undefined }, NS)).toBe(FOREIGN);
  });
});
