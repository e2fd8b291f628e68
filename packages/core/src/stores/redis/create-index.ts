// FT.CREATE for the response index, as a pure argument builder (unit-tested, then run for real).
// The fields come from the entry schema; only the vector's attributes are decided here.
import { indexSchemaArgs } from './entry-schema.js';

export const VECTOR_ALGORITHM = { FLAT: 'FLAT', HNSW: 'HNSW' } as const;
export type VectorAlgorithm = (typeof VECTOR_ALGORITHM)[keyof typeof VECTOR_ALGORITHM];

export interface HnswOptions {
  m?: number;
  efConstruction?: number;
  efRuntime?: number;
}

export interface IndexSpec {
  indexName: string;
  prefix: string;
  dimensions: number;
  algorithm: VectorAlgorithm;
  hnsw?: HnswOptions;
  /** Vectors per allocation block (RediSearch's default 1024); small for the many small per-tenant indexes. */
  blockSize?: number;
}

export function createIndexArgs(spec: IndexSpec): string[] {
  const vectorAttributes = ['TYPE', 'FLOAT32', 'DIM', String(spec.dimensions), 'DISTANCE_METRIC', 'COSINE'];
  if (spec.algorithm === 'HNSW') {
    const { m, efConstruction, efRuntime } = spec.hnsw ?? {};
    if (m !== undefined) vectorAttributes.push('M', String(m));
    if (efConstruction !== undefined) vectorAttributes.push('EF_CONSTRUCTION', String(efConstruction));
    if (efRuntime !== undefined) vectorAttributes.push('EF_RUNTIME', String(efRuntime));
  }
  if (spec.blockSize !== undefined) vectorAttributes.push('BLOCK_SIZE', String(spec.blockSize));
  return [
    'FT.CREATE',
    spec.indexName,
    'ON',
    'HASH',
    'PREFIX',
    '1',
    spec.prefix,
    'SCHEMA',
    ...indexSchemaArgs([spec.algorithm, String(vectorAttributes.length), ...vectorAttributes]),
  ];
}
