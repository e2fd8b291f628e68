// Test doubles for deja users and for deja's own tests: `@deja/core/testing`.
import type { Embedder } from '../embeddings/embedder.js';
import { lexicalEmbedder } from '../embeddings/lexical-embedder.js';
import type { VectorLike } from '../vectors.js';

export type { ConformanceTarget, ConformanceTestApi } from './store-conformance.js';
export { storeConformanceSuite } from './store-conformance.js';

export interface CountingEmbedder extends Embedder {
  /** embed() calls so far. */
  calls: number;
  /** Every text the inner embedder was asked for, in order. */
  texts: string[];
}

/** Wraps an embedder and counts what reaches it. */
export function countingEmbedder(inner: Embedder = lexicalEmbedder()): CountingEmbedder {
  const counting: CountingEmbedder = {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    maxBatchSize: inner.maxBatchSize,
    calls: 0,
    texts: [],
    async embed(texts, signal) {
      counting.calls++;
      counting.texts.push(...texts);
      return inner.embed(texts, signal);
    },
  };
  return counting;
}

/**
 * An embedder with chosen vectors for chosen texts (to make two texts paraphrases of each other),
 * falling back to the lexical embedder for any other text.
 */
export function fixedEmbedder(
  vectors: Record<string, VectorLike>,
  options: { dimensions?: number; modelId?: string } = {},
): Embedder {
  const first = Object.values(vectors)[0];
  const dimensions = options.dimensions ?? first?.length ?? 8;
  const fallback = lexicalEmbedder({ dimensions });
  return {
    modelId: options.modelId ?? `fixed-${dimensions}`,
    dimensions,
    async embed(texts, signal) {
      const rest = await fallback.embed(texts, signal);
      return texts.map((text, i) => vectors[text] ?? (rest[i] as VectorLike));
    },
  };
}
