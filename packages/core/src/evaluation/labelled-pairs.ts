// Labelled pairs and the plan an evaluation follows: which texts are stored, which are looked up,
// and which stored texts are a right answer for each lookup. Pure, so the rules can be read and
// tested without a store.
import { DejaInputError } from '../errors.js';

/** `a` is the stored side (a cached question), `b` the query side (a new question). */
export interface LabelledPair {
  a: string;
  b: string;
  /** True when a cached answer to `a` is a right answer to `b`. */
  same: boolean;
}

export interface PlannedQuery {
  text: string;
  /** Indexes into `stored` of the texts labelled the same as this one (empty: every hit is wrong). */
  rightAnswers: ReadonlySet<number>;
}

export interface EvaluationPlan {
  /** Every distinct stored-side text, once. */
  stored: readonly string[];
  /** Every distinct query-side text, once. */
  queries: readonly PlannedQuery[];
}

/**
 * A query whose text is also stored has its right answer in the cache whatever the labels say:
 * the entry of the identical question. A hit on it is right, and the query is answerable. A
 * pair that labels a text different from itself is therefore a contradiction, and throws.
 *
 * Stored and query texts are deduplicated: a text stored twice would be two entries with the
 * same vector, and which one the nearest-neighbour search returns would be a coin toss that
 * decides "right" or "wrong"; a query listed twice would count its one outcome twice. A query
 * is right on any stored text it is labelled the same as, through whichever pair says so.
 * A pair labelled both ways is a contradiction the figures cannot survive: it throws.
 */
export function planEvaluation(pairs: readonly LabelledPair[]): EvaluationPlan {
  const storedIndex = new Map<string, number>();
  const labels = new Map<string, Map<number, boolean>>();
  for (const [i, pair] of pairs.entries()) {
    if (pair.a.trim() === '' || pair.b.trim() === '') {
      throw new DejaInputError(`labelled pair ${i} has an empty text`);
    }
    if (pair.a === pair.b && !pair.same)
      throw new DejaInputError(`labelled pair ${i} labels a text different from itself`);
    let stored = storedIndex.get(pair.a);
    if (stored === undefined) {
      stored = storedIndex.size;
      storedIndex.set(pair.a, stored);
    }
    const ofQuery = labels.get(pair.b) ?? new Map<number, boolean>();
    labels.set(pair.b, ofQuery);
    const earlier = ofQuery.get(stored);
    if (earlier !== undefined && earlier !== pair.same) {
      throw new DejaInputError(
        `labelled pair ${i} contradicts an earlier pair: the same two texts are labelled both same and different`,
      );
    }
    ofQuery.set(stored, pair.same);
  }
  const queries = [...labels].map(([text, ofQuery]) => {
    const rightAnswers = new Set([...ofQuery].filter(([, same]) => same).map(([stored]) => stored));
    const identical = storedIndex.get(text);
    if (identical !== undefined) rightAnswers.add(identical);
    return { text, rightAnswers };
  });
  return { stored: [...storedIndex.keys()], queries };
}
