// The deja benchmark: starts its own Redis Stack and plain Redis through the test harness, runs every
// section, prints a table and writes results/latest.json (flat figures) and results/latest.md.
// Usage (after a build of the workspace; ./scripts/bench.sh does everything):
//   node bench/run.ts                 every section
//   node bench/run.ts exact semantic  only those sections (results then go to results/partial.*,
//                                     as do runs where a section failed)
//   DEJA_BENCH_QUICK=1 node bench/run.ts   small sizes, to check the bench itself
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer } from '../test/harness/redis-server.ts';
import type { BenchContext } from './lib/context.ts';
import { CLIENT_CPU, canPin, pin, SERVER_CPU } from './lib/cpu.ts';
import { describeMachine } from './lib/machine.ts';
import { BENCH_DIR, startRedisVl } from './lib/redisvl.ts';
import { writeReport } from './lib/report.ts';
import { Results } from './lib/results.ts';
import { clusterSemantic } from './sections/cluster.ts';
import { embeddingCache } from './sections/embedding-cache.ts';
import { exactOverhead } from './sections/exact-overhead.ts';
import { fallbackPath } from './sections/fallback.ts';
import { hitQuality } from './sections/hit-quality.ts';
import { hnswRecall } from './sections/hnsw.ts';
import { middlewareOverhead } from './sections/middleware.ts';
import { middlewareFloor } from './sections/middleware-floor.ts';
import { missCost } from './sections/miss-cost.ts';
import { semanticVsRedisVl } from './sections/semantic.ts';
import { verifiedHits } from './sections/verified.ts';

const SECTIONS: Record<string, (context: BenchContext) => Promise<void>> = {
  exact: exactOverhead,
  semantic: semanticVsRedisVl,
  embeddings: embeddingCache,
  fallback: fallbackPath,
  hnsw: hnswRecall,
  cluster: clusterSemantic,
  quality: hitQuality,
  middleware: middlewareOverhead,
  'middleware-floor': middlewareFloor,
  miss: missCost,
  verified: verifiedHits,
};

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  for (const name of requested) {
    if (!SECTIONS[name])
      throw new Error(`Unknown section ${name}; sections: ${Object.keys(SECTIONS).join(', ')}`);
  }
  const names = requested.length > 0 ? requested : Object.keys(SECTIONS);
  const quick = process.env.DEJA_BENCH_QUICK === '1';
  const started = performance.now();
  const workDir = join(BENCH_DIR, '..', '.deja', 'bench');
  mkdirSync(workDir, { recursive: true });

  console.log('deja bench: starting Redis Stack, plain Redis, Redis 8 and the RedisVL worker');
  const [stack, plain, redis8] = await Promise.all([
    startRedisServer({ kind: 'stack' }),
    startRedisServer({ kind: 'plain' }),
    startRedisServer({ kind: 'redis8' }),
  ]);
  for (const server of [stack, plain, redis8]) pin(server.pid, SERVER_CPU);
  // Before the worker starts, so it inherits the client CPU.
  pin(process.pid, CLIENT_CPU);
  const redisVl = startRedisVl();
  const results = new Results();
  if (!canPin())
    results.note(
      'taskset or a second CPU is missing: processes are not pinned, latencies may flip between runs',
    );
  try {
    const context: BenchContext = {
      stackUrl: stack.url,
      stackPid: stack.pid,
      plainUrl: plain.url,
      redis8Url: redis8.url,
      redisVl,
      results,
      workDir,
      quick,
    };
    const machine = await describeMachine(context);
    const failed: string[] = [];
    for (const name of names) {
      try {
        await (SECTIONS[name] as (context: BenchContext) => Promise<void>)(context);
      } catch (error) {
        // One broken section must not cost the figures of the others; the run still fails.
        console.error(error);
        failed.push(name);
        results.note(`section ${name} FAILED: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failed.length > 0) process.exitCode = 1;
    const runtimeS = Math.round((performance.now() - started) / 1000);
    const complete = requested.length === 0 && !quick && failed.length === 0;
    writeReport({
      results,
      machine,
      runtimeS,
      sections: names,
      quick,
      file: complete ? 'latest' : 'partial',
    });
  } finally {
    await redisVl.close();
    await Promise.all([stack.stop(), plain.stop(), redis8.stop()]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
