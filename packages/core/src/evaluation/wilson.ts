// The Wilson score interval's lower end: how low a proportion can plausibly be, given what was
// counted. A precision of 5/5 and one of 500/500 are both 1.0; their lower bounds (0.57 and
// 0.99) say which one a threshold can be chosen on.

/** z for a two-sided 95 % interval (the 97.5th percentile of the standard normal). */
export const Z_95 = 1.959963984540054;

/**
 * Lower end of the Wilson score interval for `successes` out of `trials` (95 % by default).
 * With no trials there is no evidence, and the bound is 0.
 */
export function wilsonLowerBound(successes: number, trials: number, z: number = Z_95): number {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials) {
    throw new RangeError(
      `wilsonLowerBound needs whole numbers 0 <= successes <= trials (${successes}/${trials})`,
    );
  }
  if (trials === 0) return 0;
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // Rounding can leave -1e-17 for p = 0.
  return Math.max(0, (centre - spread) / (1 + z2 / trials));
}
