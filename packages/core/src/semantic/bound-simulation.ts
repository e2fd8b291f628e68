// A labelled stream through the acceptance rule, exactly as the response cache would run it,
// for the statistical test and the bench (one implementation, so both measure the same thing).
// Each lookup is a query whose best candidate has a known similarity and a label (is the cached
// answer right for it?). The labels play every oracle the cache would ask: the fresh answer's
// comparison on a miss or an exploration, and the truth that a simulated verifier of the stated
// accuracy gets right with that probability (its mistakes are symmetric).
// Simplifications, stated: the cached set does not grow (a computed answer is not stored), the
// evidence is shared instantly (one process, no refresh delay).
import { type AcceptancePolicyInput, acceptancePolicySchema, decideAcceptance } from './acceptance.js';
import { addFields, type Evidence, emptyEvidence, outcomeFields } from './evidence.js';

export interface LabelledLookup {
  /** Similarity of the best candidate. */
  similarity: number;
  /** Whether that candidate's answer is right for the query. */
  right: boolean;
}

export interface SimulationOptions {
  policy: AcceptancePolicyInput;
  /** Accuracy of a simulated verifier (e.g. 0.95); none when absent. */
  verifierAccuracy?: number;
  /** Passes over the (shuffled) lookups; each pass is shuffled anew. */
  passes: number;
  seed: number;
}

export interface SimulationFigures {
  lookups: number;
  /** Served without verification, and the wrong ones among them. */
  servedUnverified: number;
  wrongUnverified: number;
  /** Served after a 'same' verdict, and the wrong ones among them. */
  servedVerified: number;
  wrongVerified: number;
  verifications: number;
  /** Would-be unverified hits answered fresh to check them (no verifier). */
  explorations: number;
  /** Model calls a plain cache would not make: verifications + explorations without a verifier. */
  extraModelCalls: number;
  /**
   * Fresh answers compared with the cached candidate (recorded misses, explorations included):
   * free with a user-given equivalent(cached, fresh); one model call each if that is a judge.
   */
  comparisons: number;
}

/** A small, seeded PRNG (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const emptyFigures = (): SimulationFigures => ({
  lookups: 0,
  servedUnverified: 0,
  wrongUnverified: 0,
  servedVerified: 0,
  wrongVerified: 0,
  verifications: 0,
  explorations: 0,
  extraModelCalls: 0,
  comparisons: 0,
});

/** Figures summed over passes `from` (0-based) to the end: e.g. from 1 leaves a warm-up pass out. */
export function sumPasses(passes: readonly SimulationFigures[], from = 0): SimulationFigures {
  const total = emptyFigures();
  for (const figures of passes.slice(from)) {
    for (const name of Object.keys(total) as (keyof SimulationFigures)[]) total[name] += figures[name];
  }
  return total;
}

/** Runs the stream; figures per pass, and the evidence learned at the end. */
export function simulateStream(
  lookups: readonly LabelledLookup[],
  options: SimulationOptions,
): { passes: SimulationFigures[]; evidence: Evidence } {
  const policy = acceptancePolicySchema.parse(options.policy);
  const random = seededRandom(options.seed);
  const hasVerifier = options.verifierAccuracy !== undefined;
  const passes: SimulationFigures[] = [];
  let evidence = emptyEvidence();
  for (let pass = 0; pass < options.passes; pass++) {
    const figures = emptyFigures();
    passes.push(figures);
    const add = (name: keyof SimulationFigures) => {
      figures[name]++;
    };
    for (const lookup of shuffled(lookups, random)) {
      add('lookups');
      const decision = decideAcceptance({
        similarity: lookup.similarity,
        policy,
        hasVerifier,
        evidence,
        random,
      });
      let outcome: boolean | undefined;
      if (decision.action === 'serve') {
        add('servedUnverified');
        if (!lookup.right) add('wrongUnverified');
      } else if (decision.action === 'verify') {
        add('verifications');
        add('extraModelCalls');
        const verifierRight = random() < (options.verifierAccuracy ?? 1);
        const same = verifierRight ? lookup.right : !lookup.right;
        if (same) {
          add('servedVerified');
          if (!lookup.right) add('wrongVerified');
        }
        outcome = same;
      } else if (decision.record) {
        // A miss computes the fresh answer; comparing it with the cached one gives the label.
        add('comparisons');
        if (decision.explore) {
          add('explorations');
          add('extraModelCalls');
        }
        outcome = lookup.right;
      }
      if (decision.record && outcome !== undefined)
        evidence = addFields(evidence, outcomeFields(lookup.similarity, outcome));
    }
  }
  return { passes, evidence };
}

/** Hit rate and precision of a static threshold over the same lookups (for comparison). */
export function staticThresholdFigures(
  lookups: readonly LabelledLookup[],
  threshold: number,
): { hits: number; wrong: number; hitRate: number; errorRate: number } {
  let hits = 0;
  let wrong = 0;
  for (const lookup of lookups) {
    if (lookup.similarity < threshold) continue;
    hits++;
    if (!lookup.right) wrong++;
  }
  return {
    hits,
    wrong,
    hitRate: lookups.length === 0 ? 0 : hits / lookups.length,
    errorRate: hits === 0 ? 0 : wrong / hits,
  };
}
