// Semantic lookup on a Redis Cluster of three Redis Stack masters against one Redis Stack: 10k
// entries x 384 in one tenant (FLAT), the same vectors and queries on both. On the cluster each
// tenant has its own index on the master of its slot (index-search.ts), so a lookup is one routed
// FT.SEARCH, like on one node. Figures: p50 of responses.lookup and of tenant.knn on each, the
// ratio cluster / single node, and the hit rate beside each.
import { createDeja, type Deja, redisStore } from '@deja/core';
import { createCluster } from 'redis';
import { startRedisCluster } from '../../test/harness/redis-cluster.ts';
import { type BenchContext, log } from '../lib/context.ts';
import { pin, SERVER_CPU } from '../lib/cpu.ts';
import { forEachConcurrently, PrecomputedEmbedder, putEntry } from '../lib/deja-setup.ts';
import { interleave, ratio, round, summarize } from '../lib/timing.ts';
import { nearQueries, randomTargets, randomUnitVectors, row } from '../lib/vectors.ts';
import { RESPONSE_TEXT } from './exact-overhead.ts';

const DIMENSIONS = 384;
const MIN_SIMILARITY = 0.9;

export async function clusterSemantic(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection('Semantic lookup on a 3-master Redis Stack cluster vs one Redis Stack');
  const count = context.quick ? 1_000 : 10_000;
  const samples = context.quick ? 100 : 600;
  const cluster = await startRedisCluster({ masters: 3, kind: 'stack' });
  for (const master of cluster.masters) pin(master.pid, SERVER_CPU);
  const client = createCluster({ rootNodes: cluster.rootNodes });
  client.on('error', () => undefined);
  await client.connect();
  const base = randomUnitVectors(count, DIMENSIONS, 9_001);
  const embedder = new PrecomputedEmbedder(DIMENSIONS);
  const options = {
    embedder,
    cacheEmbeddings: false,
    minSimilarity: MIN_SIMILARITY,
    // The static rule: this section compares lookup speed, not acceptance (the default bound serves
    // no unverified hit on a new cache).
    maxErrorRate: false as const,
    statsFlushMs: 0,
    timeoutMs: 60_000,
  };
  const dejas: Record<'cluster' | 'single', Deja> = {
    cluster: createDeja({ ...options, store: redisStore({ client, prefix: 'bench:cl:' }) }),
    single: createDeja({
      ...options,
      store: redisStore({ url: context.stackUrl, prefix: 'bench:cl:', indexName: 'bench-cl' }),
    }),
  };
  try {
    for (const [name, deja] of Object.entries(dejas)) {
      await deja.ready();
      const started = performance.now();
      await forEachConcurrently(0, count, 32, (i) =>
        putEntry(deja.tenant('bench'), i, {
          value: RESPONSE_TEXT,
          text: `prompt ${i}`,
          vector: row(base, i, DIMENSIONS),
        }),
      );
      log(
        `${name}: ${count.toLocaleString()} entries in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    const targets = randomTargets(samples + 50, count, 77);
    const queries = nearQueries(base, DIMENSIONS, targets, 0.95, 78);
    const textOf = (i: number) => `cluster query ${i}`;
    targets.forEach((_, i) => {
      embedder.set(textOf(i), row(queries, i, DIMENSIONS));
    });
    const correct: Record<string, number> = {};
    const contenders: Record<string, (i: number) => Promise<void>> = {};
    for (const [name, deja] of Object.entries(dejas)) {
      const tenant = deja.tenant('bench');
      correct[`${name}_lookup`] = 0;
      correct[`${name}_knn`] = 0;
      contenders[`${name}_lookup`] = async (i) => {
        const hit = await tenant.responses.lookup({ key: { q: textOf(i) }, semanticText: textOf(i) });
        if (hit?.hit === 'semantic' && hit.meta.custom?.i === targets[i])
          correct[`${name}_lookup`] = (correct[`${name}_lookup`] ?? 0) + 1;
      };
      contenders[`${name}_knn`] = async (i) => {
        const [best] = await tenant.knn(row(queries, i, DIMENSIONS), { k: 1, minSimilarity: MIN_SIMILARITY });
        if (best?.meta.custom?.i === targets[i]) correct[`${name}_knn`] = (correct[`${name}_knn`] ?? 0) + 1;
      };
    }
    const timed = await interleave(contenders, { warmup: 50, rounds: 4, perRound: samples / 4 });
    const p50: Record<string, number> = {};
    for (const [name, times] of Object.entries(timed)) {
      const summary = summarize(times);
      p50[name] = summary.p50Us;
      const hitRate = round((correct[name] as number) / (samples + 50), 3);
      results.set(
        `cluster_${name}_p50_us`,
        round(summary.p50Us),
        `${name} p50 (µs), ${count} entries, one tenant`,
      );
      results.set(
        `cluster_${name}_hit_rate`,
        hitRate,
        `${name}: share answered with the right entry (incl. warm-up)`,
      );
      log(`${name}: p50 ${round(summary.p50Us)} µs, p99 ${round(summary.p99Us)} µs, hit rate ${hitRate}`);
    }
    results.set(
      'cluster_semantic_over_single_node',
      ratio(p50.cluster_lookup as number, p50.single_lookup as number),
      `p50 responses.lookup (semantic hit), 3-master cluster / one node, ${count} x ${DIMENSIONS} FLAT (goal <= 1.3)`,
    );
    results.set(
      'cluster_knn_over_single_node',
      ratio(p50.cluster_knn as number, p50.single_knn as number),
      'same, tenant.knn alone',
    );
  } finally {
    await Promise.all(Object.values(dejas).map((deja) => deja.close()));
    client.destroy();
    await cluster.stop();
  }
}
