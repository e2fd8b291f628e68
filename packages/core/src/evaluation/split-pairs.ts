// A seeded, deterministic split of labelled pairs into a tuning half and a held-out half.
import type { LabelledPair } from './labelled-pairs.js';

export interface SplitPairs {
  tuning: LabelledPair[];
  heldOut: LabelledPair[];
}

/**
 * Splits by query text, not by pair: every pair of one query lands in the same half, so no
 * query is looked up (and its outcome counted) on both sides. The query texts are shuffled with
 * `seed` and cut in the middle; the tuning half gets the extra one when the count is odd.
 * Pairs keep their input order within each half.
 */
export function splitPairs(pairs: readonly LabelledPair[], seed: number): SplitPairs {
  const queries = [...new Set(pairs.map((pair) => pair.b))];
  const random = seededRandom(seed);
  // Fisher-Yates.
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [queries[i], queries[j]] = [queries[j] as string, queries[i] as string];
  }
  const tuningQueries = new Set(queries.slice(0, Math.ceil(queries.length / 2)));
  const tuning: LabelledPair[] = [];
  const heldOut: LabelledPair[] = [];
  for (const pair of pairs) (tuningQueries.has(pair.b) ? tuning : heldOut).push(pair);
  return { tuning, heldOut };
}

/** mulberry32: small and seeded; the split only needs to be repeatable and unbiased enough. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
