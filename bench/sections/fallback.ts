// The fallback paths: Redis without the Query Engine. On Redis 7 deja packs the vectors of each
// (tenant, scope, user) into one key (int8, read in a few GETRANGE chunks) and scores them
// client-side, then re-checks the best few exactly; on Redis 8 it keeps them in a vector set and
// asks VSIM. This measures a semantic hit at 1k and 10k entries in one scope (384 dimensions) on
// both, and at 10k x 1536 on the packed scan, where that scan is the whole cost, with the longest
// stall of the event loop seen while lookups ran (monitorEventLoopDelay, max: wall clock, so a
// loaded machine inflates it) and the longest main-thread CPU between two turns of the loop
// (which it does not). Same vectors, queries and sample counts on both paths.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDeja, redisStore } from '@deja/core';
import { type BenchContext, log } from '../lib/context.ts';
import { forEachConcurrently, PrecomputedEmbedder, putEntry } from '../lib/deja-setup.ts';
import { loopStallProbe } from '../lib/loop-stall.ts';
import { ratio, round, sampleLatency, summarize } from '../lib/timing.ts';
import { nearQueries, randomTargets, randomUnitVectors, row } from '../lib/vectors.ts';
import { RESPONSE_TEXT } from './exact-overhead.ts';
import { fallbackRecall } from './fallback-recall.ts';
import { countLabel } from './semantic.ts';

/** The two paths without the Query Engine, and the figure names of each. */
const PATHS = {
  packed: { server: 'plainUrl', semantic: 'scan', figure: 'fallback_', title: 'plain Redis 7, packed scan' },
  vectorSet: {
    server: 'redis8Url',
    semantic: 'vector-set',
    figure: 'fallback_vectorset_',
    title: 'Redis 8, vector set (VSIM)',
  },
} as const;
type FallbackPath = (typeof PATHS)[keyof typeof PATHS];

export async function fallbackPath(context: BenchContext): Promise<void> {
  context.results.startSection(
    'Fallback paths without the Query Engine: plain Redis 7 (client-side cosine) and Redis 8 (vector sets)',
  );
  const counts384 = context.quick ? [200, 1_000] : [1_000, 10_000];
  await fallbackAt(context, PATHS.packed, 384, counts384);
  await fallbackAt(context, PATHS.vectorSet, 384, counts384);
  await fallbackAt(context, PATHS.packed, 1_536, context.quick ? [1_000] : [10_000]);
  await fallbackRecall(context);
}

async function fallbackAt(
  context: BenchContext,
  path: FallbackPath,
  DIMENSIONS: number,
  counts: number[],
): Promise<void> {
  const { results } = context;
  const suffix = DIMENSIONS === 384 ? '' : `_${DIMENSIONS}`;
  const base = randomUnitVectors(counts.at(-1) as number, DIMENSIONS, 4_242);
  const embedder = new PrecomputedEmbedder(DIMENSIONS);
  const store = redisStore({ url: context[path.server], prefix: `bench:fallback${DIMENSIONS}:` });
  // The static rule (maxErrorRate: false): the default error bound serves no unverified semantic
  // hit on a new cache, so every lookup here would be a miss and the hit rate 0.
  const deja = createDeja({
    store,
    embedder,
    cacheEmbeddings: false,
    statsFlushMs: 0,
    timeoutMs: 60_000,
    maxErrorRate: false,
  });
  const tenant = deja.tenant('bench');
  try {
    await deja.ready();
    if (store.capabilities.semantic !== path.semantic)
      throw new Error(
        `fallback bench (${path.title}): the store answers KNN by ${store.capabilities.semantic}, not ${path.semantic}`,
      );
    let loaded = 0;
    // What the server holds per entry (hash + packed record or vector-set node), from INFO memory.
    const memoryAtStart = (await store.health()).memoryBytes ?? 0;
    for (const count of counts) {
      await forEachConcurrently(loaded, count, 32, (i) =>
        putEntry(tenant, i, { value: RESPONSE_TEXT, text: `prompt ${i}`, vector: row(base, i, DIMENSIONS) }),
      );
      loaded = count;
      const memoryNow = (await store.health()).memoryBytes ?? 0;
      const bytesPerEntry = round((memoryNow - memoryAtStart) / count);
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
      const loopDelay = monitorEventLoopDelay({ resolution: 1 });
      loopDelay.enable();
      const stalls = loopStallProbe();
      const summary = summarize(await sampleLatency(samples, lookup));
      stalls.stop();
      loopDelay.disable();
      const label = `${countLabel(count)}${suffix}`;
      results.set(
        `${path.figure}memory_bytes_per_entry_${label}`,
        bytesPerEntry,
        `server memory per entry (INFO used_memory growth / entries, ${DIMENSIONS}-d vector, short answer), ${label}, ${path.title}`,
      );
      results.set(
        `${path.figure}event_loop_max_block_ms_${label}`,
        round(loopDelay.max / 1e6, 1),
        `longest event-loop stall during those lookups (ms), ${label}`,
      );
      results.set(
        `${path.figure}event_loop_max_cpu_ms_${label}`,
        round(stalls.maxCpuMs(), 1),
        `longest main-thread CPU between two turns of the loop (ms; unlike the stall, not inflated by machine load), ${label}`,
      );
      results.set(
        `${path.figure}semantic_p50_us_${label}`,
        round(summary.p50Us),
        `semantic hit p50 (µs), ${countLabel(count)} entries in one scope, dim ${DIMENSIONS}, ${path.title}`,
      );
      results.set(
        `${path.figure}semantic_p99_us_${label}`,
        round(summary.p99Us),
        `semantic hit p99 (µs), ${label} entries, ${path.title}`,
      );
      results.set(
        `${path.figure}semantic_hit_rate_${label}`,
        round(correct / samples, 3),
        `share answered with the right entry, ${label}, ${path.title}`,
      );
      const indexed = results.get(`semantic_deja_flat_${DIMENSIONS}_${countLabel(count)}_p50_us`);
      if (typeof indexed === 'number') {
        results.set(
          `${path.figure}over_query_engine_${label}`,
          ratio(summary.p50Us, indexed),
          `${path.title} p50 / Redis Stack FLAT p50, ${label} entries`,
        );
      }
      const packed = results.get(`${PATHS.packed.figure}semantic_p50_us_${label}`);
      if (path.semantic === 'vector-set' && typeof packed === 'number') {
        results.set(
          `fallback_vectorset_over_packed_${label}`,
          ratio(summary.p50Us, packed),
          `Redis 8 vector set p50 / plain Redis packed scan p50, ${label} entries`,
        );
      }
      log(
        `${path.title}, ${label}: p50 ${round(summary.p50Us)} µs, p99 ${round(summary.p99Us)} µs, hits ${correct}/${samples}, ${bytesPerEntry} B/entry, event loop max stall ${round(loopDelay.max / 1e6, 1)} ms (CPU ${round(stalls.maxCpuMs(), 1)} ms)`,
      );
    }
  } finally {
    await tenant.clear();
    await deja.close();
  }
}
