// Pure threshold analysis: given labelled pairs scored by an embedder, how a minSimilarity
// threshold trades precision (hits that are right) against recall (right answers found) and
// hit rate (lookups served from cache). No I/O, so the hit-quality benchmark can reuse it.

export interface ScoredPair {
  /** Cosine similarity of the pair's two texts under the embedder in use. */
  similarity: number;
  /** True when the two texts mean the same (a hit would be right). */
  same: boolean;
}

export interface CurvePoint {
  threshold: number;
  /** Right hits / all hits; null when nothing reaches the threshold. */
  precision: number | null;
  /** Right hits / pairs that should hit. */
  recall: number;
  /** Hits / all pairs: the share of lookups the cache would answer. */
  hitRate: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

/** 0.50, 0.51, ... 0.99 (built from integers, so no 0.5700000001). */
export const DEFAULT_THRESHOLDS: readonly number[] = Array.from({ length: 50 }, (_, i) => (50 + i) / 100);

export function thresholdCurve(
  pairs: readonly ScoredPair[],
  thresholds: readonly number[] = DEFAULT_THRESHOLDS,
): CurvePoint[] {
  const positives = pairs.filter((pair) => pair.same).length;
  return thresholds.map((threshold) => {
    let truePositives = 0;
    let falsePositives = 0;
    for (const pair of pairs) {
      if (pair.similarity < threshold) continue;
      if (pair.same) truePositives++;
      else falsePositives++;
    }
    const hits = truePositives + falsePositives;
    return {
      threshold,
      precision: hits === 0 ? null : truePositives / hits,
      recall: positives === 0 ? 0 : truePositives / positives,
      hitRate: pairs.length === 0 ? 0 : hits / pairs.length,
      truePositives,
      falsePositives,
      falseNegatives: positives - truePositives,
      trueNegatives: pairs.length - positives - falsePositives,
    };
  });
}

/**
 * The lowest threshold from which precision stays at or above `targetPrecision` for every
 * higher threshold (lowest = most hits); undefined when no threshold gets there. Requiring the
 * whole tail, not one lucky point, keeps a noisy curve from recommending a dip.
 */
export function recommendThreshold(
  curve: readonly CurvePoint[],
  targetPrecision: number,
): CurvePoint | undefined {
  const ordered = [...curve].sort((a, b) => a.threshold - b.threshold);
  let recommended: CurvePoint | undefined;
  for (let i = ordered.length - 1; i >= 0; i--) {
    const point = ordered[i] as CurvePoint;
    if (point.precision === null) continue;
    if (point.precision < targetPrecision) break;
    recommended = point;
  }
  return recommended;
}

/** The point with the best precision (ties: most recall), for when no threshold meets the target. */
export function bestPrecision(curve: readonly CurvePoint[]): CurvePoint | undefined {
  let best: CurvePoint | undefined;
  for (const point of curve) {
    if (point.precision === null) continue;
    if (
      !best ||
      point.precision > (best.precision as number) ||
      (point.precision === best.precision && point.recall > best.recall)
    ) {
      best = point;
    }
  }
  return best;
}
