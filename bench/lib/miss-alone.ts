// The miss-cost section on its own (Redis Stack only, no RedisVL worker).
//   node bench/lib/miss-alone.ts        (after a build of the workspace; DEJA_BENCH_QUICK=1 for fewer samples)
// Writes results/partial.{json,md}.
import { missCost } from '../sections/miss-cost.ts';
import { runAlone } from './run-alone.ts';

runAlone('miss', missCost);
