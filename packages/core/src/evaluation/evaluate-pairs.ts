// One honest evaluation pass through deja's real lookup path: every stored-side text is stored
// with responses.store, every query-side text is looked up with responses.lookup against ALL of
// them, and the nearest entry (with its similarity) is judged against the labels. What a
// threshold would do follows from this one pass (precision-curve.ts).
import type { Deja } from '../deja.js';
import { DejaInputError, DejaStoreError } from '../errors.js';
import type { Id } from '../ids.js';
import { type LabelledPair, planEvaluation } from './labelled-pairs.js';
import type { QueryOutcome } from './precision-curve.js';

export interface EvaluatePairsOptions {
  /** The tenant the pass writes into. It is CLEARED before and after. Default 'deja-evaluation'. */
  tenant?: Id;
  /** Stores, then lookups, in flight at once (default 8). */
  concurrency?: number;
}

export interface EvaluatedQuery extends QueryOutcome {
  text: string;
  /** The stored text the lookup returned; null when it returned nothing. */
  nearest: string | null;
}

export interface Evaluation {
  /** Distinct stored-side texts, each one entry. */
  stored: number;
  /** One outcome per distinct query-side text. */
  queries: EvaluatedQuery[];
}

// Stored and query keys differ, so the exact tier can never answer: every outcome is semantic.
const storedKey = (index: number) => ['deja-evaluation', 'stored', index];
const queryKey = (index: number) => ['deja-evaluation', 'query', index];

/**
 * Runs the pass on `deja` (its store and embedder). Use a deja made for the purpose: the
 * figures are only honest if nothing failed, so any error deja reports during the pass (a
 * timeout, an embedder failure: normally a quiet miss) makes it throw instead of counting
 * trouble as misses.
 */
export async function evaluatePairs(
  deja: Deja,
  pairs: readonly LabelledPair[],
  options: EvaluatePairsOptions = {},
): Promise<Evaluation> {
  // The pass measures what the nearest entry's similarity says, so it needs the static rule: under
  // the error bound a cold deja serves nothing unverified and every query would read as "no hit".
  if (deja.options.maxErrorRate !== false)
    throw new DejaInputError('evaluatePairs needs a deja made with maxErrorRate: false (the static rule)');
  const plan = planEvaluation(pairs);
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new DejaInputError('concurrency must be a whole number >= 1');
  const tenant = deja.tenant(options.tenant ?? 'deja-evaluation');
  // An unembeddable text would be stored (or looked up) exact-only: a silent miss.
  const texts = [...plan.stored, ...plan.queries.map((query) => query.text)];
  const unembeddable = texts.find((text): boolean => !tenant.embeddable(text));
  if (unembeddable !== undefined) {
    throw new DejaInputError(
      `cannot evaluate ${JSON.stringify(unembeddable.slice(0, 60))}: it cannot be embedded (no embedder, or over maxTextTokens)`,
    );
  }
  const errorsBefore = deja.stats().errors;
  await tenant.clear();
  try {
    await inParallel(plan.stored.length, concurrency, async (i) => {
      const result = await tenant.responses.store(
        { key: storedKey(i), semanticText: plan.stored[i] as string },
        i,
        { mode: 'semantic' },
      );
      if (!result.stored)
        throw new DejaStoreError(`evaluation: stored text ${i} was not stored (${result.reason})`);
    });
    const queries = new Array<EvaluatedQuery>(plan.queries.length);
    await inParallel(plan.queries.length, concurrency, async (j) => {
      const query = plan.queries[j] as (typeof plan.queries)[number];
      const hit = await tenant.responses.lookup<number>(
        { key: queryKey(j), semanticText: query.text },
        { mode: 'semantic', minSimilarity: 0 },
      );
      queries[j] = {
        text: query.text,
        // No hit at minSimilarity 0: nothing stored, or every entry points the other way.
        bestSimilarity: hit ? hit.similarity : null,
        nearest: hit ? (plan.stored[hit.value] ?? null) : null,
        right: hit !== undefined && query.rightAnswers.has(hit.value),
        answerable: query.rightAnswers.size > 0,
      };
    });
    const errors = deja.stats().errors - errorsBefore;
    if (errors > 0) {
      throw new DejaStoreError(
        `evaluation: deja reported ${errors} error(s) during the pass (see onError); its figures would count them as misses`,
      );
    }
    return { stored: plan.stored.length, queries };
  } finally {
    await tenant.clear();
  }
}

/** Runs task(i) for every i in [0, count) with at most `concurrency` in flight. */
async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
