// HNSW recall: does deja's HNSW index find the stored neighbour? 100k entries in one bucket (deja's
// one KNN tag for a tenant, scope, user and model: the filter then matches every entry, the
// hardest case for RediSearch's automatic hybrid policy), on realistic vectors (real MiniLM vectors of the dev texts and clustered perturbations
// of them, realistic-vectors.ts) and on uniform random ones (the worst case). Each query sits at
// cosine 0.95 from a stored vector. recall@1 = share of queries whose top hit is the exact nearest
// entry (FLAT, brute force, on the same data); hit rate = share whose top hit is the entry the
// query was made from. Every configuration is measured on the same queries, with its latency.
// Then a small bucket (a few hundred entries of another tenant among those 100k, hnsw-buckets.ts)
// beside it: where BATCHES is worst, and deja leaves RediSearch's choice.
import { hybridPolicyFor } from '../../packages/core/dist/stores/redis/hybrid-policy.js';
import { type BenchContext, log } from '../lib/context.ts';
import { type RawClient, rawClient, waitIndexed } from '../lib/deja-setup.ts';
import { recallRun } from '../lib/knn-search.ts';
import { MINILM_DIMENSIONS, perturb, realisticVectors } from '../lib/realistic-vectors.ts';
import { round } from '../lib/timing.ts';
import { randomTargets, randomUnitVectors, seededRandom } from '../lib/vectors.ts';
import {
  BUCKET_FIELD,
  dejaClause,
  knnSearch,
  measureSmallBucket,
  SMALL_BUCKET,
  writeBucketRows,
} from './hnsw-buckets.ts';

const DIMENSIONS = MINILM_DIMENSIONS;
/** The bucket of every entry of the large case (deja writes a SHA-256 hex; any hex tag will do here). */
const LARGE_BUCKET = 'a1';
const FILTER = `(@${BUCKET_FIELD}:{${LARGE_BUCKET}})`;
const QUERY_COSINE = 0.95;
/** deja's graph (create-index.ts HNSW_DEFAULTS; Redis' own are M=16, EF_CONSTRUCTION=200); DEJA_BENCH_HNSW_M / _EFC try others. */
const GRAPH = {
  m: Number(process.env.DEJA_BENCH_HNSW_M ?? 64),
  efConstruction: Number(process.env.DEJA_BENCH_HNSW_EFC ?? 400),
};

interface Config {
  name: string;
  /** Text placed in the KNN clause after the vector parameter. */
  clause: string;
}

function configs(quick: boolean): Config[] {
  const efs = quick
    ? [10, 100]
    : (process.env.DEJA_BENCH_HNSW_EFS ?? '10,20,50,100,200').split(',').map(Number);
  return [
    ...efs.map((ef) => ({ name: `ef${ef}`, clause: `EF_RUNTIME ${ef}` })),
    ...efs.map((ef) => ({ name: `ef${ef}_batches`, clause: `HYBRID_POLICY BATCHES EF_RUNTIME ${ef}` })),
    { name: 'adhoc_bf', clause: 'HYBRID_POLICY ADHOC_BF' },
  ];
}

export async function hnswRecall(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection(
    'HNSW recall at 100k (one bucket; realistic and uniform vectors), and a small bucket among them',
  );
  const count = context.quick ? 5_000 : Number(process.env.DEJA_BENCH_HNSW_COUNT ?? 100_000);
  const queries = context.quick ? 60 : 300;
  const raw = await rawClient(context.stackUrl);
  const rows: string[][] = [];
  try {
    const kinds = (process.env.DEJA_BENCH_HNSW_KINDS ?? 'realistic,uniform').split(',') as (
      | 'realistic'
      | 'uniform'
    )[];
    for (const kind of kinds) {
      // The small bucket's vectors follow the large one's (the first `count` rows are the same
      // as without them: both generators are sequential).
      const rowsWanted = count + SMALL_BUCKET.count(context.quick);
      const base =
        kind === 'realistic'
          ? realisticVectors(rowsWanted, 77)
          : randomUnitVectors(rowsWanted, DIMENSIONS, 78);
      await measureDataset(context, raw, kind, base, count, queries, rows);
    }
  } finally {
    await raw.sendCommand(['FLUSHALL', 'SYNC']);
    raw.destroy();
  }
  results.block(
    `HNSW (M=${GRAPH.m}, EF_CONSTRUCTION=${GRAPH.efConstruction}) against FLAT, ${count.toLocaleString()} x ${DIMENSIONS}, ${queries} queries`,
    ['vectors', 'bucket', 'config', 'recall@1', 'hit rate', 'p50 µs', 'p99 µs'],
    rows,
  );
}

async function measureDataset(
  context: BenchContext,
  raw: RawClient,
  kind: 'realistic' | 'uniform',
  base: Float32Array,
  count: number,
  queryCount: number,
  rows: string[][],
): Promise<void> {
  const { results } = context;
  await raw.sendCommand(['FLUSHALL', 'SYNC']);
  const prefix = `bench:hnsw:${kind}:`;
  const schema = (algorithm: string, extra: string[]) => [
    BUCKET_FIELD,
    'TAG',
    'embedding',
    'VECTOR',
    algorithm,
    String(6 + extra.length),
    'TYPE',
    'FLOAT32',
    'DIM',
    String(DIMENSIONS),
    'DISTANCE_METRIC',
    'COSINE',
    ...extra,
  ];
  const create = (name: string, algorithm: string, extra: string[]) =>
    raw.sendCommand([
      'FT.CREATE',
      name,
      'ON',
      'HASH',
      'PREFIX',
      '1',
      prefix,
      'SCHEMA',
      ...schema(algorithm, extra),
    ]);
  await create(`${kind}-flat`, 'FLAT', []);
  await create(`${kind}-hnsw`, 'HNSW', [
    'M',
    String(GRAPH.m),
    'EF_CONSTRUCTION',
    String(GRAPH.efConstruction),
  ]);
  const started = performance.now();
  for (let from = 0; from < count; from += 1_000)
    await writeBucketRows(raw, base, prefix, LARGE_BUCKET, from, Math.min(count, from + 1_000));
  await waitIndexed(raw, `${kind}-flat`, count);
  await waitIndexed(raw, `${kind}-hnsw`, count);
  log(
    `${kind}: ${count.toLocaleString()} loaded and indexed (FLAT + HNSW) in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );

  const targets = randomTargets(queryCount, count, count + (kind === 'realistic' ? 1 : 2));
  const random = seededRandom(count * 3 + 1);
  const queryRows = new Float32Array(queryCount * DIMENSIONS);
  for (const [i, target] of targets.entries())
    perturb(base, target * DIMENSIONS, DIMENSIONS, QUERY_COSINE, random, queryRows, i * DIMENSIONS);
  const search = (index: string, i: number, clause: string) =>
    knnSearch(raw, index, FILTER, clause, queryRows.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS));
  const measure = async (name: string, index: string, clause: string, truth?: (string | undefined)[]) => {
    const { found, recall, hitRate, summary } = await recallRun(
      (i) => search(index, i, clause),
      queryCount,
      (i) => `${prefix}${targets[i]}`,
      truth,
    );
    rows.push([
      kind,
      `all ${count.toLocaleString()}`,
      name,
      round(recall, 3).toFixed(3),
      round(hitRate, 3).toFixed(3),
      round(summary.p50Us).toFixed(0),
      round(summary.p99Us).toFixed(0),
    ]);
    results.set(
      `hnsw_${kind}_${name}_recall_at_1`,
      round(recall, 3),
      `${kind} ${name}: recall@1 against FLAT`,
      false,
    );
    results.set(
      `hnsw_${kind}_${name}_hit_rate`,
      round(hitRate, 3),
      `${kind} ${name}: top hit is the query's own entry`,
      false,
    );
    results.set(`hnsw_${kind}_${name}_p50_us`, round(summary.p50Us), `${kind} ${name}: p50 µs`, false);
    log(
      `${kind} ${name}: recall@1 ${round(recall, 3)}, hit rate ${round(hitRate, 3)}, p50 ${round(summary.p50Us)} µs`,
    );
    return { found, recall, p50: summary.p50Us };
  };
  const flat = await measure('flat', `${kind}-flat`, '');
  // What deja sends for this bucket: it holds every entry of the index.
  const policy = hybridPolicyFor(
    { indexName: `${kind}-hnsw`, prefix, dimensions: DIMENSIONS, algorithm: 'HNSW' },
    { bucketEntries: count, indexEntries: count },
  );
  const deja = await measure(`deja_${policy ?? 'auto'}`, `${kind}-hnsw`, dejaClause(policy), flat.found);
  // deja's query (its graph, EF_RUNTIME 20, the policy it picks for this bucket): the headline.
  const what = `deja's HNSW query (M ${GRAPH.m}, EF_CONSTRUCTION ${GRAPH.efConstruction}, EF_RUNTIME 20, ${policy ?? 'automatic'} policy)`;
  results.set(
    `hnsw_recall_at_1_${count / 1000}k_${kind}`,
    round(deja.recall, 3),
    `recall@1 of ${what}, ${kind} vectors`,
  );
  results.set(`hnsw_p50_us_${count / 1000}k_${kind}`, round(deja.p50), 'its p50 (µs)');
  let chosen: { name: string; recall: number; p50: number } | undefined;
  for (const config of configs(context.quick)) {
    const { recall, p50 } = await measure(config.name, `${kind}-hnsw`, config.clause, flat.found);
    if (recall >= 0.99 && (!chosen || p50 < chosen.p50)) chosen = { name: config.name, recall, p50 };
  }
  if (chosen) {
    results.set(
      `hnsw_fastest_at_recall_99_${kind}`,
      chosen.name,
      `${kind}: fastest HNSW query option with recall@1 >= 0.99`,
    );
    results.set(
      `hnsw_fastest_at_recall_99_${kind}_p50_us`,
      round(chosen.p50),
      `${kind}: its p50 (µs); FLAT p50 ${round(flat.p50)} µs`,
    );
  }
  await measureSmallBucket(context, raw, {
    kind,
    base,
    count,
    prefix,
    indexes: { flat: `${kind}-flat`, hnsw: `${kind}-hnsw` },
    rows,
  });
}
