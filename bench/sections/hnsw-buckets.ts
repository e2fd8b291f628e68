// The HNSW section's small bucket: a few hundred entries of one more bucket (another tenant) added
// to the index of the large one, searched with deja's choice of hybrid policy (hybrid-policy.ts:
// RediSearch's own for a bucket this small), with BATCHES forced (its worst case: the graph walk
// meets the bucket's entries rarely) and with ADHOC_BF, recall@1 against FLAT on the same filter.
import { type HybridPolicy, hybridPolicyFor } from '../../packages/core/dist/stores/redis/hybrid-policy.js';
import { type BenchContext, log } from '../lib/context.ts';
import { type RawClient, waitIndexed } from '../lib/deja-setup.ts';
import { knnSearchArgs, recallRun } from '../lib/knn-search.ts';
import { MINILM_DIMENSIONS, perturb } from '../lib/realistic-vectors.ts';
import { round } from '../lib/timing.ts';
import { randomTargets, seededRandom } from '../lib/vectors.ts';

const DIMENSIONS = MINILM_DIMENSIONS;
/** deja's one KNN tag (entry-schema.ts). */
export const BUCKET_FIELD = 'bucket';
export const SMALL_BUCKET = { tag: 'b2', count: (quick: boolean) => (quick ? 60 : 300) } as const;
const EF_RUNTIME = 20;
const QUERY_COSINE = 0.95;

/** The KNN clause deja sends with `policy` (its default EF_RUNTIME). */
export function dejaClause(policy: HybridPolicy | undefined): string {
  return `${policy ? `HYBRID_POLICY ${policy} ` : ''}EF_RUNTIME ${EF_RUNTIME}`;
}

/** deja's KNN (k=1) under `filter`: the key of the top hit. */
export async function knnSearch(
  raw: RawClient,
  index: string,
  filter: string,
  clause: string,
  vector: Float32Array,
): Promise<string | undefined> {
  const reply = (await raw.sendCommand(knnSearchArgs(index, filter, clause, vector, ['distance']))) as {
    results?: { id?: string }[];
  };
  return reply.results?.[0]?.id;
}

/** Rows `from`..`to`-1 of `base` as entry hashes `${prefix}${i}` in bucket `tag`, pipelined. */
export async function writeBucketRows(
  raw: RawClient,
  base: Float32Array,
  prefix: string,
  tag: string,
  from: number,
  to: number,
): Promise<void> {
  const writes: Promise<unknown>[] = [];
  for (let i = from; i < to; i++) {
    const vector = base.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS);
    writes.push(
      raw.sendCommand([
        'HSET',
        `${prefix}${i}`,
        BUCKET_FIELD,
        tag,
        'embedding',
        Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
      ]),
    );
  }
  await Promise.all(writes);
}

export interface SmallBucketCase {
  kind: 'realistic' | 'uniform';
  /** The large bucket's `count` rows, then the small bucket's. */
  base: Float32Array;
  count: number;
  prefix: string;
  indexes: { flat: string; hnsw: string };
  rows: string[][];
}

export async function measureSmallBucket(
  context: BenchContext,
  raw: RawClient,
  { kind, base, count, prefix, indexes, rows }: SmallBucketCase,
): Promise<void> {
  const { results } = context;
  const small = SMALL_BUCKET.count(context.quick);
  const total = count + small;
  await writeBucketRows(raw, base, prefix, SMALL_BUCKET.tag, count, total);
  await waitIndexed(raw, indexes.flat, total);
  await waitIndexed(raw, indexes.hnsw, total);

  const queryCount = context.quick ? 60 : 300;
  const targets = randomTargets(queryCount, small, total + 5).map((offset) => count + offset);
  const random = seededRandom(total * 5 + 3);
  const queries = new Float32Array(queryCount * DIMENSIONS);
  for (const [i, target] of targets.entries())
    perturb(base, target * DIMENSIONS, DIMENSIONS, QUERY_COSINE, random, queries, i * DIMENSIONS);
  const filter = `(@${BUCKET_FIELD}:{${SMALL_BUCKET.tag}})`;
  const policy = hybridPolicyFor(
    { indexName: indexes.hnsw, prefix, dimensions: DIMENSIONS, algorithm: 'HNSW' },
    { bucketEntries: small, indexEntries: total },
  );
  const label = `${small} of ${total.toLocaleString()}`;

  const measure = async (name: string, index: string, clause: string, truth?: (string | undefined)[]) => {
    const search = (i: number) =>
      knnSearch(raw, index, filter, clause, queries.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS));
    const { found, recall, hitRate, summary } = await recallRun(
      search,
      queryCount,
      (i) => `${prefix}${targets[i]}`,
      truth,
    );
    rows.push([
      kind,
      label,
      name,
      round(recall, 3).toFixed(3),
      round(hitRate, 3).toFixed(3),
      round(summary.p50Us).toFixed(0),
      round(summary.p99Us).toFixed(0),
    ]);
    const about = `${kind}, bucket of ${label}, ${name}`;
    results.set(
      `hnsw_${kind}_small_bucket_${name}_recall_at_1`,
      round(recall, 3),
      `${about}: recall@1`,
      false,
    );
    results.set(`hnsw_${kind}_small_bucket_${name}_p50_us`, round(summary.p50Us), `${about}: p50 µs`, false);
    log(`${kind} small bucket ${name}: recall@1 ${round(recall, 3)}, p50 ${round(summary.p50Us)} µs`);
    return { found, recall, p50: summary.p50Us };
  };

  const flat = await measure('flat', indexes.flat, '');
  const deja = await measure(`deja_${policy ?? 'auto'}`, indexes.hnsw, dejaClause(policy), flat.found);
  const batches = await measure('ef20_batches', indexes.hnsw, dejaClause('BATCHES'), flat.found);
  await measure('adhoc_bf', indexes.hnsw, 'HYBRID_POLICY ADHOC_BF', flat.found);
  results.set(
    `hnsw_${kind}_small_bucket_deja_policy`,
    policy ?? 'auto',
    `${kind}: deja's hybrid policy for a bucket of ${label} (RediSearch's own when 'auto')`,
  );
  results.set(
    `hnsw_${kind}_small_bucket_deja_p50_us`,
    round(deja.p50),
    `${kind}: its p50 (µs), recall@1 ${round(deja.recall, 3)}; BATCHES forced: ${round(batches.p50)} µs`,
  );
}
