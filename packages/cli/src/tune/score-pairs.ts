// Scores labelled pairs with an embedder: each distinct text embedded once, in batches.
import { cosineSimilarity, type Embedder } from '@deja/core';
import { DejaCliError } from '../errors.js';
import type { LabelledPair } from './pairs.js';
import type { ScoredPair } from './threshold-curve.js';

const DEFAULT_BATCH = 256;

export async function scorePairs(pairs: readonly LabelledPair[], embedder: Embedder): Promise<ScoredPair[]> {
  const texts = [...new Set(pairs.flatMap((pair) => [pair.a, pair.b]))];
  const size = embedder.maxBatchSize && embedder.maxBatchSize > 0 ? embedder.maxBatchSize : DEFAULT_BATCH;
  const vectors = new Map<string, ArrayLike<number>>();
  for (let start = 0; start < texts.length; start += size) {
    const batch = texts.slice(start, start + size);
    const embedded = await embedder.embed(batch);
    if (embedded.length !== batch.length) {
      throw new DejaCliError(
        `embedder ${embedder.modelId} returned ${embedded.length} vectors for ${batch.length} texts`,
      );
    }
    for (const [i, text] of batch.entries()) vectors.set(text, embedded[i] as ArrayLike<number>);
  }
  return pairs.map((pair) => ({
    similarity: cosineSimilarity(
      vectors.get(pair.a) as ArrayLike<number>,
      vectors.get(pair.b) as ArrayLike<number>,
    ),
    same: pair.same,
  }));
}
