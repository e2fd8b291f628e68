// The HNSW recall section on its own (Redis Stack only, no RedisVL worker or plain Redis).
//   node bench/lib/hnsw-alone.ts        (DEJA_BENCH_QUICK=1 for small sizes)
// Writes results/partial.{json,md}.
import { hnswRecall } from '../sections/hnsw.ts';
import { runAlone } from './run-alone.ts';

runAlone('hnsw', hnswRecall);
