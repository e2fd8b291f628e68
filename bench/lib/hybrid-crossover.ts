// Where does HYBRID_POLICY BATCHES beat RediSearch's automatic choice? One HNSW index (deja's graph,
// M 64 / EF_CONSTRUCTION 400 / EF_RUNTIME 20) grown to 10k, 50k and 100k entries; at each size
// buckets holding fixed shares of the index (50% ... 0.2%) are searched with the automatic policy
// and with BATCHES: p50 latency and hit rate (top hit = the exact nearest entry of the bucket).
// The figures behind the share threshold in packages/core/src/stores/redis/hybrid-policy.ts.
//   node bench/lib/hybrid-crossover.ts      (DEJA_BENCH_CROSSOVER_SIZES=10000,50000 to shorten;
//   DEJA_BENCH_CROSSOVER_VECTORS=uniform for uniform random vectors instead of realistic ones)
// Starts its own Redis Stack.
import { createClient } from 'redis';
import { startRedisServer } from '../../test/harness/redis-server.ts';
import { MINILM_DIMENSIONS, perturb, realisticVectors } from './realistic-vectors.ts';
import { randomUnitVectors, seededRandom } from './vectors.ts';

const D = MINILM_DIMENSIONS;
const SIZES = (process.env.DEJA_BENCH_CROSSOVER_SIZES ?? '10000,50000,100000').split(',').map(Number);
const QUERIES = Number(process.env.DEJA_BENCH_CROSSOVER_QUERIES ?? 150);
/** Bucket -> its share of every prefix of the data (by i mod 1000); the rest are one-entry buckets. */
const SHARES = [0.5, 0.25, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002];
const bounds: number[] = [];
for (const share of SHARES) bounds.push((bounds.at(-1) ?? 0) + share * 1000);
const bucketOf = (i: number) => {
  const slot = bounds.findIndex((bound) => i % 1000 < bound);
  return slot === -1 ? `r${i}` : `s${slot}`;
};

const maxSize = Math.max(...SIZES);
const UNIFORM = process.env.DEJA_BENCH_CROSSOVER_VECTORS === 'uniform';
const base = UNIFORM ? randomUnitVectors(maxSize, D, 92) : realisticVectors(maxSize, 91);
const server = await startRedisServer({ kind: 'stack' });
process.on('uncaughtException', async (error) => {
  console.error(error);
  await server.stop(true);
  process.exit(1);
});
const redis = createClient({ url: server.url, RESP: 2 });
await redis.connect();
const row = (i: number) => base.subarray(i * D, (i + 1) * D);
const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

await redis.sendCommand([
  'FT.CREATE',
  'x',
  'ON',
  'HASH',
  'PREFIX',
  '1',
  'x:',
  'SCHEMA',
  'bucket',
  'TAG',
  'e',
  'VECTOR',
  'HNSW',
  '10',
  'TYPE',
  'FLOAT32',
  'DIM',
  String(D),
  'DISTANCE_METRIC',
  'COSINE',
  'M',
  '64',
  'EF_CONSTRUCTION',
  '400',
]);
const random = seededRandom(5);
let loaded = 0;
for (const size of SIZES) {
  const started = performance.now();
  for (; loaded < size; loaded += 500) {
    const batch = redis.multi();
    for (let i = loaded; i < Math.min(size, loaded + 500); i++)
      batch.hSet(`x:${i}`, { bucket: bucketOf(i), e: bytes(row(i)) });
    await batch.exec();
  }
  console.log(`# ${size} loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  for (const [slot, share] of SHARES.entries()) {
    const members: number[] = [];
    for (let i = 0; i < size; i++) if (bucketOf(i) === `s${slot}`) members.push(i);
    const queries: Float32Array[] = [];
    const truth: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const target = members[Math.floor(random() * members.length)] as number;
      const query = new Float32Array(D);
      perturb(base, target * D, D, 0.95, random, query, 0);
      queries.push(query);
      let best = -2;
      let bestId = -1;
      for (const id of members) {
        let dot = 0;
        const offset = id * D;
        for (let j = 0; j < D; j++) dot += (base[offset + j] as number) * (query[j] as number);
        if (dot > best) [best, bestId] = [dot, id];
      }
      truth.push(bestId);
    }
    const line: string[] = [`size ${size} share ${share} (${members.length})`];
    for (const policy of ['', 'HYBRID_POLICY BATCHES ']) {
      const times: number[] = [];
      let found = 0;
      for (const [q, query] of queries.entries()) {
        const args = [
          'FT.SEARCH',
          'x',
          `(@bucket:{s${slot}})=>[KNN 3 @e $v ${policy}EF_RUNTIME 20 AS d]`,
          'PARAMS',
          '2',
          'v',
          bytes(query),
          'SORTBY',
          'd',
          'RETURN',
          '1',
          'd',
          'LIMIT',
          '0',
          '3',
          'DIALECT',
          '2',
        ];
        const t0 = performance.now();
        const reply = (await redis.sendCommand(args)) as unknown[];
        times.push((performance.now() - t0) * 1000);
        if (reply[1] === `x:${truth[q]}`) found++;
      }
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(times.length / 2)] as number;
      line.push(
        `${policy ? 'batches' : 'auto'} p50 ${p50.toFixed(0)} us hit ${(found / QUERIES).toFixed(3)}`,
      );
    }
    console.log(line.join(' | '));
  }
}
await redis.quit();
await server.stop(true);
