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

/**
 * deja's HNSW graph when the caller sets nothing, chosen by bench/sections/hnsw.ts (100k x 384, one
 * tenant/scope/user, 2-core machine): with Redis' own defaults (M 16, EF_CONSTRUCTION 200) recall@1
 * of the stored neighbour stalled at 0.67 on clustered MiniLM vectors whatever EF_RUNTIME (part of
 * the graph unreachable); M 64 / EF_CONSTRUCTION 400 found it every time from EF_RUNTIME 10 (p50
 * 0.15 ms against 7 ms for FLAT). EF_RUNTIME 20 leaves a margin at little cost. The price: about
 * 4x the graph memory of M 16 and a slower build.
 */
export const HNSW_DEFAULTS = {
  m: 64,
  efConstruction: 400,
  efRuntime: 20,
} as const satisfies Required<HnswOptions>;

export function createIndexArgs(spec: IndexSpec): string[] {
  const vectorAttributes = ['TYPE', 'FLOAT32', 'DIM', String(spec.dimensions), 'DISTANCE_METRIC', 'COSINE'];
  if (spec.algorithm === 'HNSW') {
    const m = spec.hnsw?.m ?? HNSW_DEFAULTS.m;
    const efConstruction = spec.hnsw?.efConstruction ?? HNSW_DEFAULTS.efConstruction;
    const efRuntime = spec.hnsw?.efRuntime ?? HNSW_DEFAULTS.efRuntime;
    vectorAttributes.push(
      'M',
      String(m),
      'EF_CONSTRUCTION',
      String(efConstruction),
      'EF_RUNTIME',
      String(efRuntime),
    );
  }
  // FLAT only: RediSearch 2.10 (Redis Stack 7.4) refuses BLOCK_SIZE on HNSW ("Bad arguments for
  // algorithm HNSW"), which made every per-tenant HNSW index of a cluster fail to create.
  if (spec.blockSize !== undefined && spec.algorithm === VECTOR_ALGORITHM.FLAT)
    vectorAttributes.push('BLOCK_SIZE', String(spec.blockSize));
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
