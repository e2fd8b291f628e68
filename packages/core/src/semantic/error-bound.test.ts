import { describe, expect, it } from 'vitest';
import { errorRateIsBelow, errorRateUpperBound, observationsNeeded } from './error-bound.js';

describe('error bound (Chernoff, one-sided)', () => {
  it('equals the exact Clopper-Pearson bound when no error was seen: 1 - (1 - c)^(1/n)', () => {
    for (const n of [1, 10, 59, 300, 5000]) {
      expect(errorRateUpperBound(0, n, 0.95)).toBeCloseTo(1 - 0.05 ** (1 / n), 9);
    }
  });

  it('is never below the exact Clopper-Pearson bound (known values: k=1,n=10 -> 0.3942; k=5,n=100 -> 0.1024)', () => {
    // One-sided 95 % Clopper-Pearson upper bounds, from the beta quantile B(0.95; k+1, n-k).
    expect(errorRateUpperBound(1, 10, 0.95)).toBeGreaterThanOrEqual(0.3942);
    expect(errorRateUpperBound(5, 100, 0.95)).toBeGreaterThanOrEqual(0.1024);
    // ... and not much wider (the price of an O(1) test).
    expect(errorRateUpperBound(5, 100, 0.95)).toBeLessThan(0.125);
  });

  it('shrinks with evidence and grows with confidence', () => {
    expect(errorRateUpperBound(10, 1000, 0.95)).toBeLessThan(errorRateUpperBound(1, 100, 0.95));
    expect(errorRateUpperBound(1, 100, 0.99)).toBeGreaterThan(errorRateUpperBound(1, 100, 0.95));
    expect(errorRateUpperBound(0, 0, 0.95)).toBe(1);
    expect(errorRateUpperBound(7, 7, 0.95)).toBe(1);
  });

  it('passes exactly when the upper bound is at most the rate', () => {
    for (const [wrong, n] of [
      [0, 58],
      [0, 59],
      [3, 200],
      [10, 200],
      [40, 1000],
    ] as const) {
      for (const rate of [0.01, 0.05, 0.1]) {
        const bound = errorRateUpperBound(wrong, n, 0.95);
        // Away from the boundary the two must agree (bisection is accurate to ~1e-15).
        if (Math.abs(bound - rate) > 1e-9) expect(errorRateIsBelow(wrong, n, rate, 0.95)).toBe(bound <= rate);
      }
    }
  });

  it('never passes without observations, or when the observed rate reaches the limit', () => {
    expect(errorRateIsBelow(0, 0, 0.1, 0.95)).toBe(false);
    expect(errorRateIsBelow(10, 100, 0.1, 0.95)).toBe(false);
    expect(errorRateIsBelow(0, 1_000_000, 0, 0.95)).toBe(false);
  });

  it('needs 59 clean observations for 5 % at 95 % confidence, 299 for 1 %', () => {
    expect(observationsNeeded(0.05, 0.95)).toBe(59);
    expect(observationsNeeded(0.01, 0.95)).toBe(299);
    expect(errorRateIsBelow(0, 58, 0.05, 0.95)).toBe(false);
    expect(errorRateIsBelow(0, 59, 0.05, 0.95)).toBe(true);
  });
});
