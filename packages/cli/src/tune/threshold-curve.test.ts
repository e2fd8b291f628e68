import { describe, expect, it } from 'vitest';
import {
  bestPrecision,
  type CurvePoint,
  DEFAULT_THRESHOLDS,
  recommendThreshold,
  thresholdCurve,
} from './threshold-curve.js';

const pairs = [
  { similarity: 0.95, same: true },
  { similarity: 0.85, same: true },
  { similarity: 0.75, same: true },
  { similarity: 0.55, same: true },
  { similarity: 0.8, same: false },
  { similarity: 0.6, same: false },
  { similarity: 0.3, same: false },
  { similarity: 0.2, same: false },
];

describe('thresholdCurve', () => {
  it('has 50 thresholds from 0.50 to 0.99, exactly', () => {
    expect(DEFAULT_THRESHOLDS).toHaveLength(50);
    expect(DEFAULT_THRESHOLDS[0]).toBe(0.5);
    expect(DEFAULT_THRESHOLDS[7]).toBe(0.57);
    expect(DEFAULT_THRESHOLDS.at(-1)).toBe(0.99);
  });

  it('counts hits at or above each threshold: precision, recall, hit rate', () => {
    const [at50, at70, at80, at90, at99] = thresholdCurve(pairs, [0.5, 0.7, 0.8, 0.9, 0.99]) as CurvePoint[];
    // 0.50: hits 0.95 0.85 0.75 0.55 (right) + 0.8 0.6 (wrong).
    expect(at50).toEqual({
      threshold: 0.5,
      precision: 4 / 6,
      recall: 1,
      hitRate: 6 / 8,
      truePositives: 4,
      falsePositives: 2,
      falseNegatives: 0,
      trueNegatives: 2,
    });
    expect([at70?.precision, at70?.recall, at70?.hitRate]).toEqual([3 / 4, 3 / 4, 4 / 8]);
    // A similarity equal to the threshold is a hit.
    expect([at80?.precision, at80?.recall]).toEqual([2 / 3, 2 / 4]);
    expect([at90?.precision, at90?.recall, at90?.hitRate]).toEqual([1, 1 / 4, 1 / 8]);
    expect(at99).toMatchObject({ precision: null, recall: 0, hitRate: 0 });
  });
});

describe('recommendThreshold', () => {
  const point = (threshold: number, precision: number | null, recall = 1 - threshold): CurvePoint => ({
    threshold,
    precision,
    recall,
    hitRate: recall,
    truePositives: 0,
    falsePositives: 0,
    falseNegatives: 0,
    trueNegatives: 0,
  });

  it('takes the lowest threshold from which precision stays at the target', () => {
    const curve = [
      point(0.5, 0.8),
      point(0.6, 0.96),
      point(0.7, 0.93),
      point(0.8, 0.97),
      point(0.9, 1),
      point(0.99, null),
    ];
    // 0.60 reaches 0.95 but 0.70 dips below: the recommendation starts after the dip.
    expect(recommendThreshold(curve, 0.95)?.threshold).toBe(0.8);
    expect(recommendThreshold(curve, 0.9)?.threshold).toBe(0.6);
    expect(recommendThreshold(curve, 0.5)?.threshold).toBe(0.5);
  });

  it('recommends nothing when no threshold gets there; bestPrecision says how close it came', () => {
    const curve = [point(0.5, 0.6, 0.9), point(0.6, 0.8, 0.7), point(0.7, 0.8, 0.5), point(0.8, null)];
    expect(recommendThreshold(curve, 0.95)).toBeUndefined();
    expect(bestPrecision(curve)).toMatchObject({ threshold: 0.6, precision: 0.8 });
    expect(recommendThreshold([point(0.9, null)], 0.5)).toBeUndefined();
  });

  it('works on the curve computed from pairs', () => {
    const recommended = recommendThreshold(thresholdCurve(pairs), 0.95);
    expect(recommended?.threshold).toBe(0.81);
    expect(recommended?.precision).toBe(1);
  });
});
