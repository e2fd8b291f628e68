// Seeded synthetic vectors for the speed benchmarks: the same bytes go to deja (Node) and to RedisVL
// (Python, through a file), so both index and query exactly the same data.
import { writeFileSync } from 'node:fs';

/** mulberry32: small, fast, seeded; good enough to scatter vectors. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function normalize(rows: Float32Array, offset: number, dimensions: number): void {
  let sum = 0;
  for (let j = 0; j < dimensions; j++) sum += (rows[offset + j] as number) ** 2;
  const scale = 1 / Math.sqrt(sum);
  for (let j = 0; j < dimensions; j++) rows[offset + j] = (rows[offset + j] as number) * scale;
}

/** `count` random unit vectors, row after row. */
export function randomUnitVectors(count: number, dimensions: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const rows = new Float32Array(count * dimensions);
  for (let i = 0; i < rows.length; i++) rows[i] = gaussian(random);
  for (let i = 0; i < count; i++) normalize(rows, i * dimensions, dimensions);
  return rows;
}

/**
 * Queries near chosen rows: row + gaussian noise scaled so the cosine to the row is about
 * `cosine` (random unit vectors in these dimensions are ~orthogonal, so the target is unambiguous).
 */
export function nearQueries(
  base: Float32Array,
  dimensions: number,
  targets: number[],
  cosine: number,
  seed: number,
): Float32Array {
  const random = seededRandom(seed);
  const sigma = Math.sqrt((1 / cosine ** 2 - 1) / dimensions);
  const rows = new Float32Array(targets.length * dimensions);
  targets.forEach((target, i) => {
    for (let j = 0; j < dimensions; j++) {
      rows[i * dimensions + j] = (base[target * dimensions + j] as number) + sigma * gaussian(random);
    }
    normalize(rows, i * dimensions, dimensions);
  });
  return rows;
}

export function row(rows: Float32Array, index: number, dimensions: number): Float32Array {
  return rows.subarray(index * dimensions, (index + 1) * dimensions);
}

export function writeRows(path: string, rows: Float32Array): void {
  writeFileSync(path, Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength));
}

/** Random distinct-enough picks in [0, limit). */
export function randomTargets(count: number, limit: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Math.floor(random() * limit));
}
