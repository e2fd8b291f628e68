// From one evaluation pass (each query's nearest entry and whether it was right) to precision,
// its lower bound, recall and hit rate at every threshold. Pure: the CLI, the bench and the
// tests all read the same rule.
import { wilsonLowerBound } from './wilson.js';

/** What one lookup of an evaluation found. */
export interface QueryOutcome {
  /** Similarity of the nearest stored entry; null when the lookup found none. */
  bestSimilarity: number | null;
  /** True when that nearest entry is one this query is labelled the same as. */
  right: boolean;
  /** True when some stored text is labelled the same as this query (a hit is possible). */
  answerable: boolean;
}

export interface PrecisionPoint {
  threshold: number;
  /** Lookups at or above the threshold: what a cache with this minSimilarity would serve. */
  hits: number;
  rightHits: number;
  wrongHits: number;
  /** rightHits / hits; null when nothing is served. */
  precision: number | null;
  /** 95 % Wilson lower bound of precision (0 when nothing is served). */
  precisionLowerBound: number;
  /** rightHits / answerable queries. */
  recall: number;
  /** hits / all queries. */
  hitRate: number;
}

/** 0.50, 0.51, ... 0.99 (built from integers, so no 0.5700000001). */
export const EVALUATION_THRESHOLDS: readonly number[] = Array.from({ length: 50 }, (_, i) => (50 + i) / 100);

export function precisionCurve(
  outcomes: readonly QueryOutcome[],
  thresholds: readonly number[] = EVALUATION_THRESHOLDS,
): PrecisionPoint[] {
  const answerable = outcomes.filter((outcome) => outcome.answerable).length;
  return thresholds.map((threshold) => {
    let rightHits = 0;
    let wrongHits = 0;
    for (const outcome of outcomes) {
      // A similarity equal to the threshold is a hit, as in the lookup itself.
      if (outcome.bestSimilarity === null || outcome.bestSimilarity < threshold) continue;
      if (outcome.right) rightHits++;
      else wrongHits++;
    }
    const hits = rightHits + wrongHits;
    return {
      threshold,
      hits,
      rightHits,
      wrongHits,
      precision: hits === 0 ? null : rightHits / hits,
      precisionLowerBound: wilsonLowerBound(rightHits, hits),
      recall: answerable === 0 ? 0 : rightHits / answerable,
      hitRate: outcomes.length === 0 ? 0 : hits / outcomes.length,
    };
  });
}

/**
 * The lowest threshold (most hits) whose precision lower bound meets `targetPrecision`, or
 * undefined. The bound, not the point estimate: a threshold that serves 6 lookups, all right,
 * has not shown a precision of 0.95.
 */
export function lowestThresholdMeeting(
  curve: readonly PrecisionPoint[],
  targetPrecision: number,
): PrecisionPoint | undefined {
  return [...curve]
    .sort((a, b) => a.threshold - b.threshold)
    .find((point) => point.hits > 0 && point.precisionLowerBound >= targetPrecision);
}

/** The point with the highest precision lower bound (ties: the lower threshold), for when none meets the target. */
export function highestLowerBound(curve: readonly PrecisionPoint[]): PrecisionPoint | undefined {
  let best: PrecisionPoint | undefined;
  for (const point of curve) {
    if (point.hits === 0) continue;
    if (
      !best ||
      point.precisionLowerBound > best.precisionLowerBound ||
      (point.precisionLowerBound === best.precisionLowerBound && point.threshold < best.threshold)
    ) {
      best = point;
    }
  }
  return best;
}

/** The point at exactly `threshold` (thresholds are compared in hundredths). */
export function pointAt(curve: readonly PrecisionPoint[], threshold: number): PrecisionPoint | undefined {
  return curve.find((point) => Math.round(point.threshold * 100) === Math.round(threshold * 100));
}
