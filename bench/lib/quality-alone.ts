// The hit-quality section on its own: it needs only Redis Stack, not plain Redis or the RedisVL
// worker, so it runs without the bench's Python venv. Writes results/partial.{json,md} and the plot.
//   node bench/lib/quality-alone.ts          (after a build of the workspace)
import { cpus } from 'node:os';
import { startRedisServer } from '../../test/harness/redis-server.ts';
import { hitQuality } from '../sections/hit-quality.ts';
import type { BenchContext } from './context.ts';
import { writeReport } from './report.ts';
import { Results } from './results.ts';

async function main(): Promise<void> {
  const started = performance.now();
  const stack = await startRedisServer({ kind: 'stack' });
  const results = new Results();
  try {
    const context: BenchContext = {
      stackUrl: stack.url,
      stackPid: stack.pid,
      plainUrl: '',
      redis8Url: '',
      redisVl: {
        // This section never calls RedisVL; a call here is a bug, and says so.
        call: () => Promise.reject(new Error('quality-alone runs without RedisVL: use bench/run.ts')),
        close: async () => undefined,
      },
      results,
      workDir: '',
      quick: false,
    };
    await hitQuality(context);
    writeReport({
      results,
      machine: {
        machine_cpu: cpus()[0]?.model ?? 'unknown',
        machine_cores: cpus().length,
        node_version: process.version,
      },
      runtimeS: Math.round((performance.now() - started) / 1000),
      sections: ['quality'],
      quick: false,
      file: 'partial',
    });
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
