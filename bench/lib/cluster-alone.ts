// The cluster section on its own (starts its own 3-master Redis Stack cluster and one Redis Stack).
//   node bench/lib/cluster-alone.ts        (after a build of the workspace; DEJA_BENCH_QUICK=1 for small sizes)
import { clusterSemantic } from '../sections/cluster.ts';
import { runAlone } from './run-alone.ts';

runAlone('cluster', clusterSemantic);
