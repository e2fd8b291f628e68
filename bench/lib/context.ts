// What every benchmark section gets: the servers, the RedisVL worker, the results and a scratch dir.
import type { RedisVl } from './redisvl.ts';
import type { Results } from './results.ts';

export interface BenchContext {
  /** Redis Stack (Query Engine) started for this run. */
  stackUrl: string;
  /** Its process id (to move it between CPUs). */
  stackPid: number;
  /** Plain Redis (no FT.*) started for this run. */
  plainUrl: string;
  /** Redis 8 without the Query Engine (vector sets: VADD / VSIM) started for this run. */
  redis8Url: string;
  redisVl: RedisVl;
  results: Results;
  /** Git-ignored scratch directory for vector files shared with the Python worker. */
  workDir: string;
  /** DEJA_BENCH_QUICK=1: small sizes and few samples, to check the bench itself quickly. */
  quick: boolean;
}

export function log(message: string): void {
  console.log(`   ${message}`);
}
