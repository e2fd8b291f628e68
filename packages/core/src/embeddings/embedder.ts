import type { VectorLike } from '../vectors.js';

/**
 * What deja calls to turn text into vectors. Adapters wrap AI SDK and LangChain models as one;
 * deja's cached embedder (deja.cachedEmbedder) does the rest: validation, the cache, batching by
 * `maxBatchSize`, learning and remembering the dimension, escaping `modelId` in keys.
 */
export interface Embedder {
  /**
   * Stable model identity: vectors of two ids never mix (it namespaces the embedding cache). Any
   * well-formed text of 1 to 1 024 characters; deja escapes it where it appears in a key.
   */
  readonly modelId: string;
  /**
   * Length of the vectors. createDeja needs it up front (the vector index is made with it), from
   * here or from its `dimensions` option; a cached embedder learns it from the first vectors when
   * absent and remembers it in the store, so a new process does not ask the provider again.
   */
  readonly dimensions?: number;
  /**
   * Most texts one `embed` call may carry (the provider's limit); unlimited when absent. A promise
   * (as the AI SDK's `maxEmbeddingsPerCall` may be) is awaited once.
   */
  readonly maxBatchSize?: number | PromiseLike<number | undefined>;
  /** One vector per text, in order. */
  embed(texts: string[], signal?: AbortSignal): Promise<VectorLike[]>;
}

/** An embedder whose dimension is known (what createDeja's vector index needs). */
export type SizedEmbedder = Embedder & { readonly dimensions: number };
