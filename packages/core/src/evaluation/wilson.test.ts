import { describe, expect, it } from 'vitest';
import { wilsonLowerBound, Z_95 } from './wilson.js';

describe('wilsonLowerBound', () => {
  it('matches hand-computed values', () => {
    // 8/10, z = 2: centre 0.8 + 4/20 = 1; spread 2 * sqrt(0.016 + 0.01) = 0.322490; / 1.4.
    expect(wilsonLowerBound(8, 10, 2)).toBeCloseTo((1 - 2 * Math.sqrt(0.026)) / 1.4, 12);
    expect(wilsonLowerBound(8, 10, 2)).toBeCloseTo(0.483935, 6);
    // 8/10 at 95 %: the textbook 0.4902.
    expect(wilsonLowerBound(8, 10)).toBeCloseTo(0.49016, 5);
    // All right: the bound is n / (n + z^2), so 5/5 is far from proof of 0.95 and 100/100 is not.
    expect(wilsonLowerBound(5, 5)).toBeCloseTo(5 / (5 + Z_95 ** 2), 12);
    expect(wilsonLowerBound(5, 5)).toBeCloseTo(0.565518, 6);
    expect(wilsonLowerBound(100, 100)).toBeCloseTo(0.963007, 6);
  });

  it('is 0 with no evidence and for none right, and below the observed rate otherwise', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(0, 10)).toBe(0);
    expect(wilsonLowerBound(950, 1000)).toBeLessThan(0.95);
    expect(wilsonLowerBound(950, 1000)).toBeGreaterThan(0.93);
  });

  it('refuses counts that are not counts', () => {
    expect(() => wilsonLowerBound(3, 2)).toThrow(RangeError);
    expect(() => wilsonLowerBound(-1, 2)).toThrow(RangeError);
    expect(() => wilsonLowerBound(1.5, 2)).toThrow(RangeError);
  });
});
