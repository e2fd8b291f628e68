import type { VectorLike } from '../vectors.js';

/** What deja calls to turn text into vectors. Adapters wrap AI SDK and LangChain models as one. */
export interface Embedder {
  /** Stable model identity: vectors of two ids never mix (it namespaces the embedding cache). */
  readonly modelId: string;
  readonly dimensions: number;
  /** Most texts one call may carry (the provider's limit); unlimited when absent. */
  readonly maxBatchSize?: number;
  embed(texts: string[], signal?: AbortSignal): Promise<VectorLike[]>;
}
