import { describe, expect, it } from 'vitest';
import { createIndexArgs } from './create-index.js';

describe('createIndexArgs', () => {
  it('builds the FLAT schema of DESIGN.md', () => {
    expect(
      createIndexArgs({ indexName: 'idx', prefix: 'cache:', dimensions: 384, algorithm: 'FLAT' }),
    ).toEqual([
      'FT.CREATE',
      'idx',
      'ON',
      'HASH',
      'PREFIX',
      '1',
      'cache:',
      'SCHEMA',
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
      '6',
      'TYPE',
      'FLOAT32',
      'DIM',
      '384',
      'DISTANCE_METRIC',
      'COSINE',
    ]);
  });

  it('adds HNSW parameters and counts them', () => {
    const args = createIndexArgs({
      indexName: 'idx',
      prefix: 'p:',
      dimensions: 8,
      algorithm: 'HNSW',
      hnsw: { m: 16, efConstruction: 200, efRuntime: 20 },
    });
    expect(args.slice(args.indexOf('VECTOR'))).toEqual([
      'VECTOR',
      'HNSW',
      '12',
      'TYPE',
      'FLOAT32',
      'DIM',
      '8',
      'DISTANCE_METRIC',
      'COSINE',
      'M',
      '16',
      'EF_CONSTRUCTION',
      '200',
      'EF_RUNTIME',
      '20',
    ]);
  });

  it('builds the HNSW graph with deja defaults where the caller sets nothing', () => {
    const args = createIndexArgs({
      indexName: 'idx',
      prefix: 'p:',
      dimensions: 8,
      algorithm: 'HNSW',
      hnsw: { efRuntime: 50 },
    });
    expect(args.slice(args.indexOf('M'))).toEqual(
      expect.arrayContaining(['M', '64', 'EF_CONSTRUCTION', '400', 'EF_RUNTIME', '50']),
    );
    expect(
      createIndexArgs({ indexName: 'idx', prefix: 'p:', dimensions: 8, algorithm: 'FLAT' }),
    ).not.toContain('M');
  });

  it('sets the vector block size of FLAT, never of HNSW (RediSearch refuses it there)', () => {
    const spec = { indexName: 'idx', prefix: 'p:', dimensions: 8, blockSize: 128 };
    const flat = createIndexArgs({ ...spec, algorithm: 'FLAT' });
    expect(flat.slice(flat.indexOf('VECTOR'))).toEqual([
      ...['VECTOR', 'FLAT', '8', 'TYPE', 'FLOAT32', 'DIM', '8', 'DISTANCE_METRIC', 'COSINE'],
      ...['BLOCK_SIZE', '128'],
    ]);
    expect(createIndexArgs({ ...spec, algorithm: 'HNSW' })).not.toContain('BLOCK_SIZE');
  });
});
