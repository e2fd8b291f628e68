// What `deja tune` measures: the labelled pairs split in two (seeded); each half evaluated on
// its own through deja's lookup path (@deja/core/evaluation, in-memory store); the threshold
// chosen on the tuning half; its figures read on the held-out half, which did not take part in
// the choice, so they are what the recommendation predicts for data like the user's.
import { createDeja, type Embedder, memoryStore } from '@deja/core';
import {
  EVALUATION_THRESHOLDS,
  evaluatePairs,
  highestLowerBound,
  type LabelledPair,
  lowestThresholdMeeting,
  type PrecisionPoint,
  pointAt,
  precisionCurve,
  splitPairs,
} from '@deja/core/evaluation';
import { DejaCliError } from '../errors.js';
import { embedOnce } from './embed-once.js';

export interface TuneInput {
  pairs: readonly LabelledPair[];
  embedder: Embedder;
  targetPrecision: number;
  /** Seed of the split (the same seed, the same halves). */
  seed: number;
  thresholds?: readonly number[];
}

export interface MeasuredHalf {
  pairs: number;
  /** Distinct stored-side texts (entries). */
  stored: number;
  /** Distinct query-side texts (lookups). */
  queries: number;
  /** Queries with a right answer stored. */
  answerable: number;
  curve: PrecisionPoint[];
}

/** One threshold read on both halves. */
export interface ThresholdFigures {
  threshold: number;
  tuning: PrecisionPoint;
  heldOut: PrecisionPoint;
}

export interface TuneResult {
  tuning: MeasuredHalf;
  heldOut: MeasuredHalf;
  /** Lowest threshold whose precision lower bound meets the target on the tuning half. */
  recommended?: ThresholdFigures;
  /** When nothing meets the target: the highest lower bound on the tuning half. */
  closest?: ThresholdFigures;
}

export async function tuneThreshold(input: TuneInput): Promise<TuneResult> {
  const thresholds = input.thresholds ?? EVALUATION_THRESHOLDS;
  const { tuning, heldOut } = splitPairs(input.pairs, input.seed);
  if (tuning.length === 0 || heldOut.length === 0) {
    throw new DejaCliError(
      'tune needs pairs with at least 2 different query texts (b), to tune on one half and check on the other',
    );
  }
  const embedder = await embedOnce(
    input.pairs.flatMap((pair) => [pair.a, pair.b]),
    input.embedder,
  );
  const tuningHalf = await measureHalf(tuning, embedder, thresholds);
  const heldOutHalf = await measureHalf(heldOut, embedder, thresholds);
  const figuresAt = (point: PrecisionPoint | undefined): ThresholdFigures | undefined =>
    point && {
      threshold: point.threshold,
      tuning: point,
      heldOut: pointAt(heldOutHalf.curve, point.threshold) as PrecisionPoint,
    };
  const recommended = figuresAt(lowestThresholdMeeting(tuningHalf.curve, input.targetPrecision));
  return {
    tuning: tuningHalf,
    heldOut: heldOutHalf,
    recommended,
    closest: recommended ? undefined : figuresAt(highestLowerBound(tuningHalf.curve)),
  };
}

async function measureHalf(
  pairs: readonly LabelledPair[],
  embedder: Embedder,
  thresholds: readonly number[],
): Promise<MeasuredHalf> {
  // A deja of its own per half: an in-memory store (exact nearest neighbour, nothing written
  // to the user's Redis), strict so any trouble throws instead of reading as a miss.
  const deja = createDeja({
    store: memoryStore(),
    embedder,
    strict: true,
    timeoutMs: 60_000,
    statsFlushMs: 0,
    // Tune measures the static rule (a similarity threshold), so that is what this deja runs.
    maxErrorRate: false,
  });
  try {
    const evaluation = await evaluatePairs(deja, pairs, { tenant: 'deja-tune' });
    return {
      pairs: pairs.length,
      stored: evaluation.stored,
      queries: evaluation.queries.length,
      answerable: evaluation.queries.filter((query) => query.answerable).length,
      curve: precisionCurve(evaluation.queries, thresholds),
    };
  } finally {
    await deja.close();
  }
}
