// A one-sided upper confidence bound on an error rate from `wrong` failures in `observations`
// trials, in the Chernoff (KL) form: the bound is the largest p with
//     observations * KL(wrong/observations || p) <= ln(1 / (1 - confidence)).
// Why this bound and not the normal approximation or Wilson: both are too optimistic exactly where
// deja lives (few errors, rates of 1-10 %). The Chernoff bound is valid for every n (it bounds the
// binomial tail from above), equals the exact Clopper-Pearson bound when there are no errors
// (1 - (1 - confidence)^(1/n)), is only slightly wider otherwise, and costs O(1) to test, which
// matters because the acceptance rule tests it at every similarity bin.

/** Bernoulli KL divergence KL(q || p) in nats, for 0 <= q <= 1, 0 < p < 1. */
function bernoulliKl(q: number, p: number): number {
  const left = q === 0 ? 0 : q * Math.log(q / p);
  const right = q === 1 ? 0 : (1 - q) * Math.log((1 - q) / (1 - p));
  return left + right;
}

/**
 * Whether the error rate is at most `maxRate` with the given confidence: true when the observed
 * rate is below `maxRate` and the chance of seeing this few failures at rate `maxRate` is at most
 * 1 - confidence (Chernoff). No observations never pass.
 */
export function errorRateIsBelow(
  wrong: number,
  observations: number,
  maxRate: number,
  confidence: number,
): boolean {
  if (observations <= 0 || maxRate <= 0) return false;
  if (maxRate >= 1) return true;
  const observed = wrong / observations;
  if (observed >= maxRate) return false;
  return observations * bernoulliKl(observed, maxRate) >= Math.log(1 / (1 - confidence));
}

/** The upper confidence bound itself (1 with no observations), by bisection; for reports. */
export function errorRateUpperBound(wrong: number, observations: number, confidence: number): number {
  if (observations <= 0) return 1;
  const observed = wrong / observations;
  if (observed >= 1) return 1;
  const budget = Math.log(1 / (1 - confidence)) / observations;
  let low = observed;
  let high = 1;
  for (let step = 0; step < 60; step++) {
    const middle = (low + high) / 2;
    if (bernoulliKl(observed, middle) > budget) high = middle;
    else low = middle;
  }
  return high;
}

/** Observations without a single error needed before a rate can be shown to be <= maxRate. */
export function observationsNeeded(maxRate: number, confidence: number): number {
  return Math.ceil(Math.log(1 - confidence) / Math.log(1 - maxRate));
}
