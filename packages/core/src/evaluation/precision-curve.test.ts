import { describe, expect, it } from 'vitest';
import {
  EVALUATION_THRESHOLDS,
  highestLowerBound,
  lowestThresholdMeeting,
  type PrecisionPoint,
  pointAt,
  precisionCurve,
  type QueryOutcome,
} from './precision-curve.js';
import { wilsonLowerBound } from './wilson.js';

const outcome = (bestSimilarity: number | null, right: boolean, answerable = true): QueryOutcome => ({
  bestSimilarity,
  right,
  answerable,
});

// Six lookups: four have an answer stored, two do not (any hit of theirs is wrong).
const outcomes = [
  outcome(0.95, true),
  outcome(0.85, true),
  outcome(0.8, false), // nearest is another question's entry
  outcome(0.6, true),
  outcome(0.9, false, false),
  outcome(null, false, false), // nothing came back
];

describe('precisionCurve', () => {
  it('has 50 thresholds from 0.50 to 0.99, exactly', () => {
    expect(EVALUATION_THRESHOLDS).toHaveLength(50);
    expect(EVALUATION_THRESHOLDS[7]).toBe(0.57);
    expect(EVALUATION_THRESHOLDS.at(-1)).toBe(0.99);
  });

  it('counts hits at or above each threshold, right and wrong', () => {
    const [at50, at80, at90, at96] = precisionCurve(outcomes, [0.5, 0.8, 0.9, 0.96]);
    expect(at50).toEqual({
      threshold: 0.5,
      hits: 5,
      rightHits: 3,
      wrongHits: 2,
      precision: 3 / 5,
      precisionLowerBound: wilsonLowerBound(3, 5),
      recall: 3 / 4,
      hitRate: 5 / 6,
    });
    // A similarity equal to the threshold is a hit (0.80 here, 0.90 below).
    expect(at80).toMatchObject({ hits: 4, rightHits: 2, wrongHits: 2, recall: 2 / 4, hitRate: 4 / 6 });
    expect(at90).toMatchObject({ hits: 2, rightHits: 1, precision: 1 / 2, recall: 1 / 4 });
    expect(at96).toMatchObject({ hits: 0, precision: null, precisionLowerBound: 0, recall: 0, hitRate: 0 });
  });

  it('is empty-safe', () => {
    expect(precisionCurve([], [0.5])).toEqual([
      {
        threshold: 0.5,
        hits: 0,
        rightHits: 0,
        wrongHits: 0,
        precision: null,
        precisionLowerBound: 0,
        recall: 0,
        hitRate: 0,
      },
    ]);
  });
});

describe('choosing a threshold', () => {
  const point = (threshold: number, rightHits: number, hits: number): PrecisionPoint => ({
    threshold,
    hits,
    rightHits,
    wrongHits: hits - rightHits,
    precision: hits ? rightHits / hits : null,
    precisionLowerBound: wilsonLowerBound(rightHits, hits),
    recall: 0,
    hitRate: 0,
  });
  // Lower bounds: 0.7 -> 0.910, 0.8 -> 0.976, 0.9 -> 0.963, 0.95 -> 0.566, 0.99 -> none (no hits).
  const curve = [
    point(0.95, 5, 5),
    point(0.7, 190, 200),
    point(0.8, 298, 300),
    point(0.9, 100, 100),
    point(0.99, 0, 0),
  ];

  it('takes the lowest threshold whose lower bound meets the target, not the point estimate', () => {
    expect(lowestThresholdMeeting(curve, 0.95)?.threshold).toBe(0.8);
    expect(lowestThresholdMeeting(curve, 0.85)?.threshold).toBe(0.7);
    // 5/5 has precision 1 but its bound is 0.57: it never qualifies for 0.9.
    expect(lowestThresholdMeeting([point(0.95, 5, 5)], 0.9)).toBeUndefined();
    expect(lowestThresholdMeeting(curve, 0.99)).toBeUndefined();
  });

  it('finds the highest lower bound when nothing meets the target', () => {
    expect(highestLowerBound(curve)?.threshold).toBe(0.8);
    expect(highestLowerBound([point(0.9, 0, 0)])).toBeUndefined();
  });

  it('finds a point by threshold in hundredths', () => {
    expect(pointAt(curve, 0.8)?.hits).toBe(300);
    expect(pointAt(precisionCurve(outcomes), 0.57)?.threshold).toBe(0.57);
    expect(pointAt(curve, 0.81)).toBeUndefined();
  });
});
