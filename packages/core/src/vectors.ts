// Vectors cross the wire as raw little-endian float32 bytes (what RediSearch's FLOAT32 expects).
import { DejaInputError } from './errors.js';

export type VectorLike = Float32Array | readonly number[];

/** Checks length, finiteness and norm; returns a float32 copy-free view when possible. */
export function validateVector(vector: VectorLike, dimensions: number): Float32Array {
  if (vector.length !== dimensions) {
    throw new DejaInputError(
      `Vector has ${vector.length} dimensions; this cache is configured for ${dimensions}`,
    );
  }
  const floats = vector instanceof Float32Array ? vector : Float32Array.from(vector);
  let normSquared = 0;
  for (let i = 0; i < floats.length; i++) {
    const value = floats[i] as number;
    if (!Number.isFinite(value))
      throw new DejaInputError(`Vector holds a non-finite value (${value}) at ${i}`);
    normSquared += value * value;
  }
  if (normSquared === 0)
    throw new DejaInputError('Vector has zero norm; cosine similarity is undefined for it');
  return floats;
}

export function vectorToBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** Decodes stored bytes; undefined when the length does not fit `dimensions` (a tampered entry). */
export function bytesToVector(bytes: Uint8Array, dimensions: number): Float32Array | undefined {
  if (bytes.byteLength !== dimensions * 4) return undefined;
  // Copy: the source buffer may be unaligned or pooled.
  const copy = new Uint8Array(bytes);
  const vector = new Float32Array(copy.buffer);
  for (const value of vector) if (!Number.isFinite(value)) return undefined;
  return vector;
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}

/** RediSearch reports COSINE distance = 1 - similarity; the public API speaks only similarity. */
export function similarityFromDistance(distance: number): number {
  return Math.min(1, Math.max(0, 1 - distance));
}
