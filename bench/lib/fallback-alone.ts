// The fallback section on its own (plain Redis only, no RedisVL worker).
//   node bench/lib/fallback-alone.ts        (after a build of the workspace; DEJA_BENCH_QUICK=1 for small sizes)
// Writes results/partial.{json,md}.
import { fallbackPath } from '../sections/fallback.ts';
import { runAlone } from './run-alone.ts';

runAlone('fallback', fallbackPath);
