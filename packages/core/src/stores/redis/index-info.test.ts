import { describe, expect, it } from 'vitest';
import { indexDifferences, parseIndexInfo } from './index-info.js';

const spec = { indexName: 'idx', prefix: 'cache:', dimensions: 384, algorithm: 'FLAT' as const };
const resp2Info = [
  'index_name',
  'idx',
  'index_definition',
  ['key_type', 'HASH', 'prefixes', ['cache:'], 'default_score', '1'],
  'attributes',
  [
    ['identifier', 'tenant', 'attribute', 'tenant', 'type', 'TAG'],
    [
      'identifier',
      'embedding',
      'attribute',
      'embedding',
      'type',
      'VECTOR',
      'algorithm',
      'FLAT',
      'data_type',
      'FLOAT32',
      'dim',
      384,
      'distance_metric',
      'COSINE',
    ],
  ],
  'num_docs',
  '7',
  'indexing',
  '0',
];

describe('index info', () => {
  it('parses RESP2 FT.INFO and finds no difference with the same spec', () => {
    const info = parseIndexInfo(resp2Info);
    expect(info).toEqual({
      prefixes: ['cache:'],
      vector: { algorithm: 'FLAT', type: 'FLOAT32', dimensions: 384, metric: 'COSINE' },
      documents: 7,
      indexing: false,
    });
    expect(indexDifferences(info, spec)).toEqual([]);
  });

  it('parses RESP3 maps', () => {
    const info = parseIndexInfo({
      index_definition: { prefixes: ['cache:'] },
      attributes: [
        { type: 'VECTOR', algorithm: 'HNSW', data_type: 'FLOAT32', dim: 8, distance_metric: 'L2' },
      ],
      num_docs: 0,
    });
    expect(indexDifferences(info, spec)).toEqual([
      'vector dimensions is 8, expected 384',
      'vector metric is L2, expected COSINE',
      'vector algorithm is HNSW, expected FLAT',
    ]);
  });

  it('reports another prefix and a missing vector field', () => {
    const info = parseIndexInfo({ index_definition: { prefixes: ['other:'] }, attributes: [] });
    expect(indexDifferences(info, spec)).toEqual([
      'prefix is ["other:"], expected ["cache:"]',
      'it has no vector field',
    ]);
  });
});
