// Embeds every text of a tuning run up front, in the embedder's batches, and hands deja an
// embedder that answers from those vectors: the lookups still go through deja's whole path,
// but a remote model is called once per batch instead of once per text.
import type { Embedder, VectorLike } from '@deja/core';
import { DejaCliError } from '../errors.js';

const DEFAULT_BATCH = 256;

export async function embedOnce(texts: Iterable<string>, embedder: Embedder): Promise<Embedder> {
  const distinct = [...new Set(texts)];
  const limit = await embedder.maxBatchSize; // a provider may give its limit as a promise
  const size = typeof limit === 'number' && limit >= 1 ? Math.floor(limit) : DEFAULT_BATCH;
  const vectors = new Map<string, VectorLike>();
  for (let start = 0; start < distinct.length; start += size) {
    const batch = distinct.slice(start, start + size);
    const embedded = await embedder.embed(batch);
    if (embedded.length !== batch.length) {
      throw new DejaCliError(
        `embedder ${embedder.modelId} returned ${embedded.length} vectors for ${batch.length} texts`,
      );
    }
    for (const [i, text] of batch.entries()) vectors.set(text, embedded[i] as VectorLike);
  }
  return {
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    async embed(batch) {
      return batch.map((text) => {
        const vector = vectors.get(text);
        // Only the texts of the run are ever asked for; anything else is a bug in tune.
        if (!vector) throw new DejaCliError(`tune: no vector embedded for ${JSON.stringify(text)}`);
        return vector;
      });
    },
  };
}
