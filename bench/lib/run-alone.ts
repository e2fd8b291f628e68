// Runs one bench section without the rest: its own Redis Stack, plain Redis and Redis 8 (pinned
// like the full bench), no RedisVL worker. Writes results/partial.{json,md}.

import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../../test/harness/redis-server.ts';
import type { BenchContext } from './context.ts';
import { CLIENT_CPU, pin, SERVER_CPU } from './cpu.ts';
import { BENCH_DIR } from './redisvl.ts';
import { writeReport } from './report.ts';
import { Results } from './results.ts';

export function runAlone(name: string, section: (context: BenchContext) => Promise<void>): void {
  main(name, section).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

async function main(name: string, section: (context: BenchContext) => Promise<void>): Promise<void> {
  const started = performance.now();
  const [stack, plain, redis8] = await Promise.all([
    startRedisServer({ kind: 'stack' }),
    startRedisServer({ kind: 'plain' }),
    startRedisServer({ kind: 'redis8' }),
  ]);
  for (const server of [stack, plain, redis8]) pin(server.pid, SERVER_CPU);
  pin(process.pid, CLIENT_CPU);
  const workDir = join(BENCH_DIR, '..', '.deja', 'bench');
  mkdirSync(workDir, { recursive: true });
  const results = new Results();
  const quick = process.env.DEJA_BENCH_QUICK === '1';
  try {
    await section({
      stackUrl: stack.url,
      stackPid: stack.pid,
      plainUrl: plain.url,
      redis8Url: redis8.url,
      redisVl: {
        // Sections run alone never call RedisVL; a call here is a bug, and says so.
        call: () => Promise.reject(new Error(`${name} runs alone without RedisVL: use bench/run.ts`)),
        close: async () => undefined,
      },
      results,
      workDir,
      quick,
    });
    writeReport({
      results,
      machine: {
        machine_cpu: cpus()[0]?.model ?? 'unknown',
        machine_cores: cpus().length,
        node_version: process.version,
      },
      runtimeS: Math.round((performance.now() - started) / 1000),
      sections: [name],
      quick,
      file: 'partial',
    });
  } finally {
    await Promise.all([stack.stop(), plain.stop(), redis8.stop()]);
  }
}
