// Which semantic candidates are served without verification, verified, or missed.
//
// The rule (when the user sets maxErrorRate = δ): serve an unverified hit at similarity s only
// when s >= t, where t is the lowest similarity at which the evidence shows, with `confidence`,
// that the error rate among hits with similarity >= t is at most δ. Elsewhere: verify when there
// is a verifier, else miss. Why this and not vCache's per-entry sigmoid:
// - δ then means what a user reads it as: of the answers served without a check, at most a
//   fraction δ are wrong. The quantity bounded is a plain binomial proportion, so the bound is a
//   textbook one (Chernoff, error-bound.ts) with no model of the similarity curve to be wrong.
// - The evidence is one small histogram shared by every process (evidence.ts); per-entry
//   thresholds need outcomes per entry, and most entries of a response cache are never looked up
//   twice, so they would stay cold for ever.
// - Choosing the lowest passing t among the m possible thresholds (one per evidence bin at or
//   above minSimilarity) is a multiple test, so each region is tested at confidence
//   1 - (1 - confidence) / m (a union bound): whatever t is chosen, its region's error rate is at
//   most δ with probability >= confidence. Unlike testing from the top down and stopping at the
//   first failure, this does not assume that the error rate falls with similarity; on the dev set
//   it does not (wrong labels at 0.99: near-duplicate questions filed as different ones).
//   t is always a similarity where an outcome was seen, so no region without evidence is served.
// What keeps the evidence honest: outcomes are sampled at random among would-be unverified hits
// (exploration) and taken in full below t (misses and verifications yield them anyway), so within
// a similarity bin they are an unbiased sample. Below t the sample is denser, which weighs the
// riskier low bins more: the pooled estimate errs on the safe side when error falls with
// similarity. Verifier verdicts count as outcomes; a verifier that errs both ways inflates the
// error rate seen at low true error rates, so it too errs on the safe side.
// Cold start: no outcomes, no t, no unverified semantic hit.
import { z } from 'zod';
import { errorRateIsBelow, errorRateUpperBound, observationsNeeded } from './error-bound.js';
import { binFloor, type Evidence, SIMILARITY_BINS, similarityBin } from './evidence.js';

export const acceptancePolicySchema = z
  .object({
    /** Below it a candidate is no candidate at all. */
    minSimilarity: z.number().min(0).max(1),
    /** Static band: at or above it no verification (with maxErrorRate, both must allow it). */
    acceptSimilarity: z.number().min(0).max(1).optional(),
    /** δ: the highest acceptable error rate among unverified semantic hits. */
    maxErrorRate: z
      .number()
      .gt(0, 'maxErrorRate must be above 0')
      .lt(1, 'maxErrorRate must be below 1')
      .optional(),
    /** How sure the evidence must be that the error rate is at most δ (default 0.95). */
    confidence: z.number().gt(0.5).lt(1).default(0.95),
    /** Share of would-be unverified hits checked against a fresh answer (default 0.05). */
    explorationRate: z.number().min(0).max(1).default(0.05),
  })
  .strict();
export type AcceptancePolicyInput = z.input<typeof acceptancePolicySchema>;
export type AcceptancePolicy = z.output<typeof acceptancePolicySchema>;

export const ACCEPTANCE_REASONS = {
  belowMinSimilarity: 'below-min-similarity',
  staticThreshold: 'static-threshold',
  aboveAcceptSimilarity: 'above-accept-similarity',
  belowAcceptSimilarity: 'below-accept-similarity',
  verifyAll: 'verifier-without-accept-band',
  withinBound: 'within-error-bound',
  noEvidence: 'no-evidence-yet',
  belowLearnedThreshold: 'below-learned-threshold',
  exploration: 'exploration',
} as const;
export type AcceptanceReason = (typeof ACCEPTANCE_REASONS)[keyof typeof ACCEPTANCE_REASONS];

export interface AcceptanceDecision {
  /** serve the cached answer; verify it first; or compute a fresh one. */
  action: 'serve' | 'verify' | 'miss';
  /** A would-be unverified hit drawn for checking (an extra model call). */
  explore: boolean;
  /**
   * Record the outcome: after 'verify', the verdict; after 'miss', whether the fresh answer is
   * equivalent to the candidate's (when the caller can tell: `equivalent(cached, fresh)`).
   */
  record: boolean;
  reason: AcceptanceReason;
}

export interface LearnedThreshold {
  /** Unverified hits are allowed at similarity >= this. */
  similarity: number;
  bin: number;
  /** Outcomes at or above it, and the wrong ones among them. */
  observations: number;
  wrong: number;
  /** The upper confidence bound of the error rate there, at the per-region confidence (<= δ). */
  errorUpperBound: number;
}

const memo = new WeakMap<Evidence, Map<string, LearnedThreshold | undefined>>();

export interface BoundSettings {
  maxErrorRate: number;
  confidence: number;
  minSimilarity: number;
}

/** The lowest similarity whose region passes the bound (see the header), or undefined. Memoised per evidence. */
export function learnedThreshold(evidence: Evidence, settings: BoundSettings): LearnedThreshold | undefined {
  const key = `${settings.maxErrorRate}/${settings.confidence}/${settings.minSimilarity}`;
  const known = memo.get(evidence);
  if (known?.has(key)) return known.get(key);
  const found = scan(evidence, settings);
  const entries = known ?? new Map<string, LearnedThreshold | undefined>();
  entries.set(key, found);
  memo.set(evidence, entries);
  return found;
}

/** The confidence each region is tested at: the union bound over the possible thresholds. */
export function perRegionConfidence(settings: BoundSettings): number {
  const candidates = SIMILARITY_BINS - similarityBin(settings.minSimilarity);
  return 1 - (1 - settings.confidence) / Math.max(1, candidates);
}

function scan(evidence: Evidence, settings: BoundSettings): LearnedThreshold | undefined {
  const { maxErrorRate } = settings;
  const confidence = perRegionConfidence(settings);
  const lowest = similarityBin(settings.minSimilarity);
  const needed = observationsNeeded(maxErrorRate, confidence);
  let observations = 0;
  let wrong = 0;
  let found: LearnedThreshold | undefined;
  for (let bin = SIMILARITY_BINS - 1; bin >= lowest; bin--) {
    const right = evidence.right[bin] ?? 0;
    const wrongHere = evidence.wrong[bin] ?? 0;
    if (right + wrongHere === 0) continue; // t only ever sits where an outcome was seen
    observations += right + wrongHere;
    wrong += wrongHere;
    if (observations < needed) continue; // cannot pass whatever the labels (saves the test)
    if (errorRateIsBelow(wrong, observations, maxErrorRate, confidence))
      found = { similarity: binFloor(bin), bin, observations, wrong, errorUpperBound: 0 };
  }
  if (found) found.errorUpperBound = errorRateUpperBound(found.wrong, found.observations, confidence);
  return found;
}

export interface AcceptanceInput {
  similarity: number;
  policy: AcceptancePolicy;
  hasVerifier: boolean;
  /** Needed only with maxErrorRate. */
  evidence?: Evidence;
  /** Uniform in [0, 1); injectable for tests and simulations. */
  random?: () => number;
}

const decision = (
  action: AcceptanceDecision['action'],
  reason: AcceptanceReason,
  record: boolean,
  explore = false,
): AcceptanceDecision => ({ action, explore, record, reason });

/** The decision for one candidate (pure given `random`). */
export function decideAcceptance(input: AcceptanceInput): AcceptanceDecision {
  const { similarity, policy, hasVerifier } = input;
  const R = ACCEPTANCE_REASONS;
  if (!(similarity >= policy.minSimilarity)) return decision('miss', R.belowMinSimilarity, false);
  const accept = policy.acceptSimilarity;
  const fallback = hasVerifier ? 'verify' : 'miss';
  if (policy.maxErrorRate === undefined) {
    // No bound: the static bands. Verdicts are still recorded (evidence for a δ set later).
    if (accept !== undefined && similarity >= accept)
      return decision('serve', R.aboveAcceptSimilarity, false);
    if (accept !== undefined) return decision(fallback, R.belowAcceptSimilarity, hasVerifier);
    return hasVerifier ? decision('verify', R.verifyAll, true) : decision('serve', R.staticThreshold, false);
  }
  // With δ every candidate that is not served unverified yields an outcome.
  if (accept !== undefined && similarity < accept) return decision(fallback, R.belowAcceptSimilarity, true);
  const threshold = input.evidence
    ? learnedThreshold(input.evidence, {
        maxErrorRate: policy.maxErrorRate,
        confidence: policy.confidence,
        minSimilarity: policy.minSimilarity,
      })
    : undefined;
  if (!threshold) return decision(fallback, R.noEvidence, true);
  if (similarityBin(similarity) < threshold.bin) return decision(fallback, R.belowLearnedThreshold, true);
  const random = input.random ?? Math.random;
  if (random() < policy.explorationRate) return decision(fallback, R.exploration, true, true);
  return decision('serve', R.withinBound, false);
}
