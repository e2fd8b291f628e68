// The fallback path: Redis without the Query Engine. deja keeps a member set per (tenant, scope,
// user) and scores its vectors client-side; this measures a semantic hit at 1k and 10k entries in
// one scope, where that scan is the whole cost.
import { createDeja, redisStore } from '@deja/core';
import { type BenchContext, log } from '../lib/context.ts';
import { forEachConcurrently, PrecomputedEmbedder, putEntry } from '../lib/deja-setup.ts';
import { ratio, round, sampleLatency, summarize } from '../lib/timing.ts';
import { nearQueries, randomTargets, randomUnitVectors, row } from '../lib/vectors.ts';
import { RESPONSE_TEXT } from './exact-overhead.ts';
import { countLabel } from './semantic.ts';

const DIMENSIONS = 384;

export async function fallbackPath(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection('Fallback path: plain Redis (no Query Engine), client-side cosine');
  const counts = context.quick ? [200, 1_000] : [1_000, 10_000];
  const base = randomUnitVectors(counts.at(-1) as number, DIMENSIONS, 4_242);
  const embedder = new PrecomputedEmbedder(DIMENSIONS);
  const store = redisStore({ url: context.plainUrl, prefix: 'bench:fallback:' });
  const deja = createDeja({ store, embedder, cacheEmbeddings: false, statsFlushMs: 0, timeoutMs: 60_000 });
  const tenant = deja.tenant('bench');
  try {
    await deja.ready();
    if (store.capabilities.semantic !== 'scan')
      throw new Error('fallback bench: the plain server reports a Query Engine');
    let loaded = 0;
    for (const count of counts) {
      await forEachConcurrently(loaded, count, 32, (i) =>
        putEntry(tenant, i, { value: RESPONSE_TEXT, text: `prompt ${i}`, vector: row(base, i, DIMENSIONS) }),
      );
      loaded = count;
      const samples = context.quick ? 30 : count >= 10_000 ? 150 : 400;
      const warmup = 5;
      const targets = randomTargets(samples + warmup, count, count);
      const queries = nearQueries(base, DIMENSIONS, targets, 0.95, count + 1);
      const textOf = (i: number) => `fallback query ${count}/${i}`;
      for (let i = 0; i < targets.length; i++) embedder.set(textOf(i), row(queries, i, DIMENSIONS));
      let correct = 0;
      const lookup = async (i: number) => {
        const hit = await tenant.responses.lookup({ key: { fallback: textOf(i) }, semanticText: textOf(i) });
        if (hit?.hit === 'semantic' && hit.meta.custom?.i === targets[i]) correct++;
      };
      await sampleLatency(warmup, (i) => lookup(samples + i));
      correct = 0;
      const summary = summarize(await sampleLatency(samples, lookup));
      const label = countLabel(count);
      results.set(
        `fallback_semantic_p50_us_${label}`,
        round(summary.p50Us),
        `semantic hit p50 (µs), ${label} entries in one scope, dim ${DIMENSIONS}`,
      );
      results.set(
        `fallback_semantic_p99_us_${label}`,
        round(summary.p99Us),
        `semantic hit p99 (µs), ${label} entries`,
      );
      results.set(
        `fallback_semantic_hit_rate_${label}`,
        round(correct / samples, 3),
        `share answered with the right entry, ${label}`,
      );
      const indexed = results.get(`semantic_deja_flat_${DIMENSIONS}_${label}_p50_us`);
      if (typeof indexed === 'number') {
        results.set(
          `fallback_over_query_engine_${label}`,
          ratio(summary.p50Us, indexed),
          `fallback p50 / Redis Stack FLAT p50, ${label} entries`,
        );
      }
      log(
        `${label}: p50 ${round(summary.p50Us)} µs, p99 ${round(summary.p99Us)} µs, hits ${correct}/${samples}`,
      );
    }
  } finally {
    await tenant.clear();
    await deja.close();
  }
}
