// Paraphrase pairs ({origin, similar}: every pair means the same, as in GPTCache's mock data)
// turned into labelled pairs with hard negatives.
import type { LabelledPair } from './labelled-pairs.js';

export interface ParaphrasePair {
  origin: string;
  similar: string;
}

/**
 * If every origin were stored, every lookup would have its right answer in the cache, and the
 * only way to be wrong would be to prefer another origin to one's own: that measures ranking,
 * not whether a threshold keeps a cache from answering questions it has no answer for. In
 * production many lookups have no answer cached, and those are where a semantic cache serves
 * wrong answers. So half of the questions are left unanswerable: pairs at even positions stay
 * as they are (origin stored, similar should find it); for pairs at odd positions the origin is
 * NOT stored and the similar is labelled different from the previous pair's origin. Its
 * nearest stored origin, whichever the search finds, is then a hard negative: a hit on it is
 * wrong. Deterministic (positions, no randomness), so a run can be repeated exactly.
 */
export function paraphrasesToLabelledPairs(pairs: readonly ParaphrasePair[]): LabelledPair[] {
  return pairs.map((pair, i) => {
    if (i % 2 === 0) return { a: pair.origin, b: pair.similar, same: true };
    const previous = pairs[i - 1] as ParaphrasePair;
    return { a: previous.origin, b: pair.similar, same: false };
  });
}
