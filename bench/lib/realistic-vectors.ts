// "Realistic" vectors for the HNSW recall figures: the dev texts' real MiniLM embeddings
// (data/paraphrase-minilm-384.f32, 2 × 999 rows of 384 float32, see its .json) and clustered
// perturbations of them up to the count wanted. Each real vector is the centre of a cluster; its
// members sit at a cosine drawn in [0.80, 0.97] from it, so the data has what uniform random
// vectors lack: dense neighbourhoods of near-duplicates around topics, as a cache of paraphrased
// questions has. Uniform vectors (vectors.ts) stay the worst case beside them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './redisvl.ts';
import { seededRandom } from './vectors.ts';

export const MINILM_DIMENSIONS = 384;

export function minilmVectors(): Float32Array {
  const bytes = readFileSync(join(BENCH_DIR, '..', 'data', 'paraphrase-minilm-384.f32'));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** `vector` (unit) moved to a cosine of about `cosine` from where it was, by isotropic noise. */
export function perturb(
  source: Float32Array,
  offset: number,
  dimensions: number,
  cosine: number,
  random: () => number,
  into: Float32Array,
  at: number,
): void {
  const sigma = Math.sqrt((1 / cosine ** 2 - 1) / dimensions);
  let norm = 0;
  for (let j = 0; j < dimensions; j++) {
    const value = (source[offset + j] as number) + sigma * gaussian(random);
    into[at + j] = value;
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let j = 0; j < dimensions; j++) into[at + j] = (into[at + j] as number) * scale;
}

/** `count` rows: the real vectors first, then cluster members around them (seeded). */
export function realisticVectors(count: number, seed: number): Float32Array {
  const real = minilmVectors();
  const dimensions = MINILM_DIMENSIONS;
  const centres = real.length / dimensions;
  const rows = new Float32Array(count * dimensions);
  rows.set(real.subarray(0, Math.min(count, centres) * dimensions));
  const random = seededRandom(seed);
  for (let i = centres; i < count; i++) {
    const centre = Math.floor(random() * centres);
    perturb(real, centre * dimensions, dimensions, 0.8 + 0.17 * random(), random, rows, i * dimensions);
  }
  return rows;
}
