// The AI SDK middleware section on its own (Redis Stack only, no RedisVL worker).
//   node bench/lib/middleware-alone.ts   (after a build of the workspace; DEJA_BENCH_QUICK=1 for fewer samples)
// Writes results/partial.{json,md}.
import { middlewareOverhead } from '../sections/middleware.ts';
import { runAlone } from './run-alone.ts';

runAlone('middleware', middlewareOverhead);
