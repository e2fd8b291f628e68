// The middleware-floor section on its own (bench/sections/middleware-floor.ts).
//   node bench/lib/middleware-floor-alone.ts   (after a build of the workspace)
// Writes results/partial.{json,md}.
import { middlewareFloor } from '../sections/middleware-floor.ts';
import { runAlone } from './run-alone.ts';

runAlone('middleware-floor', middlewareFloor);
