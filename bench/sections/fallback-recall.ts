// Recall of the two paths without the Query Engine on realistic vectors (real MiniLM vectors of the
// dev texts and clustered perturbations of them, realistic-vectors.ts), where an approximate graph
// can miss: the packed scan reads every vector of the scope (int8) and re-checks the best few
// exactly; a Redis 8 vector set walks an HNSW graph (VSIM). Recall@1 is the share of queries whose
// first answer is an exact nearest entry (brute-force float cosine over every row, in this
// process; the dev set repeats some texts, so a row with the same best cosine counts as found).
// Queries sit at cosine ~0.95 from a random row, as a paraphrase would.
import { createHash } from 'node:crypto';
import { redisStore, type StoreEntry } from '@deja/core';
import { type BenchContext, log } from '../lib/context.ts';
import { MINILM_DIMENSIONS, perturb, realisticVectors } from '../lib/realistic-vectors.ts';
import { round } from '../lib/timing.ts';
import { randomTargets, row, seededRandom } from '../lib/vectors.ts';
import { countLabel } from './semantic.ts';

const DIMENSIONS = MINILM_DIMENSIONS;
const QUERY_COSINE = 0.95;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const TENANT = sha('bench-recall-tenant');
const SCOPE = sha('bench-recall-scope');

export async function fallbackRecall(context: BenchContext): Promise<void> {
  const count = context.quick ? 2_000 : 10_000;
  const queryCount = context.quick ? 50 : 300;
  const base = realisticVectors(count, 91);
  const targets = randomTargets(queryCount, count, count + 5);
  const random = seededRandom(count * 7 + 3);
  const queries = new Float32Array(queryCount * DIMENSIONS);
  for (const [i, target] of targets.entries())
    perturb(base, target * DIMENSIONS, DIMENSIONS, QUERY_COSINE, random, queries, i * DIMENSIONS);
  const best = targets.map((_, i) => bestCosine(base, row(queries, i, DIMENSIONS)));
  const rowOf = new Map(Array.from({ length: count }, (_, i) => [sha(`row ${i}`), i] as const));

  for (const [figure, url, title] of [
    ['fallback_', context.plainUrl, 'plain Redis 7, packed scan'],
    ['fallback_vectorset_', context.redis8Url, 'Redis 8, vector set (VSIM)'],
  ] as const) {
    const store = redisStore({ url, prefix: 'bench:recall:' });
    await store.init({ dimensions: DIMENSIONS });
    try {
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < count; i++) {
        writes.push(store.put(entry(i, row(base, i, DIMENSIONS)), 3_600_000));
        if (writes.length >= 64) await Promise.all(writes.splice(0));
      }
      await Promise.all(writes);
      let found = 0;
      for (let i = 0; i < queryCount; i++) {
        const query = row(queries, i, DIMENSIONS);
        const [first] = await store.knn({
          tenant: TENANT,
          scope: SCOPE,
          user: '0',
          vector: query,
          k: 1,
        });
        const answered = rowOf.get(first?.entry.id ?? '');
        const cosine = answered === undefined ? -1 : cosineOf(base, answered, query);
        if (cosine >= (best[i] as number) - 1e-6) found++;
      }
      const recall = round(found / queryCount, 3);
      context.results.set(
        `${figure}recall_at_1_realistic_${countLabel(count)}`,
        recall,
        `share of ${queryCount} queries whose first answer is the exact nearest of ${countLabel(count)} realistic 384-d vectors in one scope, ${title}`,
      );
      log(`${title}: recall@1 ${recall} on ${countLabel(count)} realistic vectors`);
    } finally {
      await store.clearTenant(TENANT);
      await store.close();
    }
  }
}

function entry(i: number, vector: Float32Array): StoreEntry {
  return {
    id: sha(`row ${i}`),
    tenant: TENANT,
    user: '0',
    scope: SCOPE,
    text: `row ${i}`,
    embedding: vector,
    response: 'r',
    meta: '{}',
    createdAt: Date.now(),
  };
}

/** The cosine of row `index` of `rows` with `query` (a unit vector). */
function cosineOf(rows: Float32Array, index: number, query: Float32Array): number {
  let dot = 0;
  let norm = 0;
  const offset = index * DIMENSIONS;
  for (let j = 0; j < DIMENSIONS; j++) {
    const value = rows[offset + j] as number;
    dot += value * (query[j] as number);
    norm += value * value;
  }
  return dot / Math.sqrt(norm);
}

/** The highest cosine of any row with `query`. */
function bestCosine(rows: Float32Array, query: Float32Array): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i * DIMENSIONS < rows.length; i++) best = Math.max(best, cosineOf(rows, i, query));
  return best;
}
