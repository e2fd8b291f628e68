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
    ['identifier', 'text', 'attribute', 'text', 'type', 'TEXT'],
    ['identifier', 'ns', 'attribute', 'ns', 'type', 'TAG'],
    ['identifier', 'tenant', 'attribute', 'tenant', 'type', 'TAG'],
    ['identifier', 'user', 'attribute', 'user', 'type', 'TAG'],
    ['identifier', 'scope', 'attribute', 'scope', 'type', 'TAG'],
    ['identifier', 'model', 'attribute', 'model', 'type', 'TAG'],
    ['identifier', 'bucket', 'attribute', 'bucket', 'type', 'TAG'],
    ['identifier', 'tags', 'attribute', 'tags', 'type', 'TAG'],
    ['identifier', 'created_at', 'attribute', 'created_at', 'type', 'NUMERIC'],
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
      fields: {
        text: 'TEXT',
        ns: 'TAG',
        tenant: 'TAG',
        user: 'TAG',
        scope: 'TAG',
        model: 'TAG',
        bucket: 'TAG',
        tags: 'TAG',
        created_at: 'NUMERIC',
        embedding: 'VECTOR',
      },
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
        ...['text', 'ns', 'tenant', 'user', 'scope', 'model', 'bucket', 'tags', 'created_at'].map((name) => ({
          identifier: name,
          type: { text: 'TEXT', created_at: 'NUMERIC' }[name] ?? 'TAG',
        })),
        {
          identifier: 'embedding',
          type: 'VECTOR',
          algorithm: 'HNSW',
          data_type: 'FLOAT32',
          dim: 8,
          distance_metric: 'L2',
        },
      ],
      num_docs: 0,
    });
    expect(indexDifferences(info, spec)).toEqual([
      'vector dimensions is 8, expected 384',
      'vector metric is L2, expected COSINE',
      'vector algorithm is HNSW, expected FLAT',
    ]);
  });

  it('reports another prefix, every schema field it lacks, and a missing vector field', () => {
    const info = parseIndexInfo({
      index_definition: { prefixes: ['other:'] },
      attributes: [{ identifier: 'user', type: 'TEXT' }],
    });
    expect(indexDifferences(info, spec)).toEqual([
      'prefix is ["other:"], expected ["cache:"]',
      'field text is missing, expected TEXT',
      'field ns is missing, expected TAG',
      'field tenant is missing, expected TAG',
      'field user is TEXT, expected TAG',
      'field scope is missing, expected TAG',
      'field model is missing, expected TAG',
      'field bucket is missing, expected TAG',
      'field tags is missing, expected TAG',
      'field created_at is missing, expected NUMERIC',
      'field embedding is missing, expected VECTOR',
      'it has no vector field',
    ]);
  });
});
