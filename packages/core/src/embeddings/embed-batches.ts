// The embedder called in batches of at most the provider's limit, its answers checked: as many
// vectors as texts, each a Float32Array.
import { DejaInputError } from '../errors.js';
import type { Embedder } from './embedder.js';

export async function embedInBatches(
  embedder: Embedder,
  texts: string[],
  size: number,
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += size) {
    const batch = texts.slice(start, start + size);
    const vectors = await embedder.embed(batch, signal);
    if (!Array.isArray(vectors) || vectors.length !== batch.length) {
      throw new DejaInputError(
        `Embedder ${embedder.modelId} returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${batch.length} texts`,
      );
    }
    for (const vector of vectors)
      out.push(vector instanceof Float32Array ? vector : Float32Array.from(vector));
  }
  return out;
}

/** A provider limit as a batch size: a finite positive number, floored; else unlimited. */
export function usableLimit(limit: number | undefined): number | undefined {
  return typeof limit === 'number' && Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : undefined;
}
