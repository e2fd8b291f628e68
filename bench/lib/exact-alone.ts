// The exact-hit section on its own (Redis Stack only, no RedisVL worker).
//   node bench/lib/exact-alone.ts        (after a build of the workspace; DEJA_BENCH_QUICK=1 for fewer samples)
// Writes results/partial.{json,md}.
import { exactOverhead } from '../sections/exact-overhead.ts';
import { runAlone } from './run-alone.ts';

runAlone('exact', exactOverhead);
