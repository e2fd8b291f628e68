// An offline embedder for demos and tests: hashed character trigrams, L2-normalised. It is
// LEXICAL, not semantic: texts sharing many letter sequences come out close, nothing more.
import { createHash } from 'node:crypto';
import type { Embedder } from './embedder.js';

export interface LexicalEmbedderOptions {
  dimensions?: number;
  /** Character n-gram length (default 3). */
  n?: number;
}

export function lexicalEmbedder(options: LexicalEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 256;
  const n = options.n ?? 3;
  return {
    modelId: `deja-lexical-${n}gram-${dimensions}`,
    dimensions,
    async embed(texts) {
      return texts.map((text) => embedOne(text, dimensions, n));
    },
  };
}

function embedOne(text: string, dimensions: number, n: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const normalised = ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
  for (let i = 0; i + n <= normalised.length; i++) {
    const hash = createHash('md5')
      .update(normalised.slice(i, i + n))
      .digest();
    const slot = hash.readUInt32LE(0) % dimensions;
    vector[slot] = (vector[slot] as number) + ((hash[4] as number) & 1 ? 1 : -1);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] as number) * scale;
  return vector;
}
