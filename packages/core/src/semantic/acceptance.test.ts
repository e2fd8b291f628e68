import { describe, expect, it } from 'vitest';
import {
  type AcceptancePolicyInput,
  acceptancePolicySchema,
  decideAcceptance,
  learnedThreshold,
  perRegionConfidence,
  ACCEPTANCE_REASONS as R,
} from './acceptance.js';
import { addFields, type Evidence, emptyEvidence } from './evidence.js';

const policy = (input: Partial<AcceptancePolicyInput> = {}) =>
  acceptancePolicySchema.parse({ minSimilarity: 0.8, ...input });
/** Evidence with `right` and `wrong` outcomes in the bin of each similarity. */
function evidenceOf(bins: Record<number, [right: number, wrong: number]>): Evidence {
  const fields: Record<string, number> = {};
  for (const [bin, [right, wrong]] of Object.entries(bins)) {
    fields[`e1:${bin}:r`] = right;
    fields[`e1:${bin}:w`] = wrong;
  }
  return addFields(emptyEvidence(), fields);
}
const never = () => 0.999_999; // never explores
const always = () => 0; // always explores
const bound = { maxErrorRate: 0.05, confidence: 0.95, minSimilarity: 0.8 };

describe('acceptance policy options', () => {
  it('defaults confidence 0.95 and exploration 0.05, and refuses a δ outside (0, 1)', () => {
    expect(policy()).toMatchObject({ confidence: 0.95, explorationRate: 0.05 });
    expect(acceptancePolicySchema.safeParse({ minSimilarity: 0.8, maxErrorRate: 0 }).success).toBe(false);
    expect(acceptancePolicySchema.safeParse({ minSimilarity: 0.8, maxErrorRate: 1 }).success).toBe(false);
    expect(acceptancePolicySchema.safeParse({ minSimilarity: 0.8, confidence: 1 }).success).toBe(false);
    expect(acceptancePolicySchema.safeParse({ minSimilarity: 0.8, explorationRate: 2 }).success).toBe(false);
  });
});

describe('without a bound (static bands)', () => {
  it('misses below minSimilarity, whatever else is set', () => {
    const decision = decideAcceptance({ similarity: 0.79, policy: policy(), hasVerifier: true });
    expect(decision).toEqual({ action: 'miss', explore: false, record: false, reason: R.belowMinSimilarity });
    expect(decideAcceptance({ similarity: Number.NaN, policy: policy(), hasVerifier: false }).action).toBe(
      'miss',
    );
  });

  it('serves at or above minSimilarity when there is neither band nor verifier (the static threshold)', () => {
    expect(decideAcceptance({ similarity: 0.8, policy: policy(), hasVerifier: false })).toMatchObject({
      action: 'serve',
      reason: R.staticThreshold,
    });
  });

  it('verifies everything from minSimilarity up when there is a verifier and no accept band', () => {
    expect(decideAcceptance({ similarity: 0.99, policy: policy(), hasVerifier: true })).toMatchObject({
      action: 'verify',
      record: true,
      reason: R.verifyAll,
    });
  });

  it('serves above acceptSimilarity unverified; below it verifies, or misses without a verifier', () => {
    const banded = policy({ acceptSimilarity: 0.95 });
    expect(decideAcceptance({ similarity: 0.95, policy: banded, hasVerifier: true }).action).toBe('serve');
    expect(decideAcceptance({ similarity: 0.9, policy: banded, hasVerifier: true }).action).toBe('verify');
    expect(decideAcceptance({ similarity: 0.9, policy: banded, hasVerifier: false })).toMatchObject({
      action: 'miss',
      reason: R.belowAcceptSimilarity,
    });
  });
});

describe('learnedThreshold', () => {
  it('is undefined without evidence (cold start)', () => {
    expect(learnedThreshold(emptyEvidence(), bound)).toBeUndefined();
  });

  it('is the lowest similarity whose region passes the bound at the union-bound confidence', () => {
    // 20 possible thresholds from 0.80 up (bins of 0.01): each region is tested at 1 - 0.05/20.
    expect(perRegionConfidence(bound)).toBeCloseTo(0.9975, 10);
    // 400 clean outcomes at 0.97 pass 5 %; 400 more at 0.90 with 20 % wrong sink the region from 0.90.
    const evidence = evidenceOf({ 97: [400, 0], 90: [320, 80] });
    expect(learnedThreshold(evidence, bound)).toMatchObject({
      similarity: 0.97,
      observations: 400,
      wrong: 0,
    });
    expect(learnedThreshold(evidence, bound)?.errorUpperBound).toBeLessThanOrEqual(0.05);
  });

  it('does not stop at a bad bin near the top when the region below it still passes', () => {
    // A few wrong outcomes at 0.99 (near-duplicates filed as different), many clean ones below.
    const evidence = evidenceOf({ 99: [20, 3], 95: [2000, 10] });
    expect(learnedThreshold(evidence, bound)?.similarity).toBe(0.95);
  });

  it('never sits where no outcome was seen', () => {
    const evidence = evidenceOf({ 97: [1000, 0], 85: [50, 50] });
    // Bins 0.86..0.96 are empty: t stays at 0.97, not 0.86.
    expect(learnedThreshold(evidence, bound)?.similarity).toBe(0.97);
  });

  it('needs enough clean outcomes: 59 pass 5 % at 95 % only for one possible threshold, not for 20', () => {
    const evidence = evidenceOf({ 99: [59, 0] });
    expect(learnedThreshold(evidence, { ...bound, minSimilarity: 0.99 })?.similarity).toBe(0.99);
    expect(learnedThreshold(evidence, bound)).toBeUndefined();
  });

  it('ignores outcomes below minSimilarity', () => {
    const evidence = evidenceOf({ 70: [100_000, 0] });
    expect(learnedThreshold(evidence, bound)).toBeUndefined();
  });

  it('is memoised per evidence object and settings', () => {
    const evidence = evidenceOf({ 97: [400, 0] });
    expect(learnedThreshold(evidence, bound)).toBe(learnedThreshold(evidence, bound));
    expect(learnedThreshold(evidence, { ...bound, maxErrorRate: 0.001 })).toBeUndefined();
  });
});

describe('with a bound (maxErrorRate)', () => {
  const bounded = policy({ maxErrorRate: 0.05 });
  const learned = evidenceOf({ 97: [400, 0], 90: [320, 80] });

  it('cold start: no unverified semantic hit, however similar; verify or miss, and record the outcome', () => {
    for (const hasVerifier of [true, false]) {
      const decision = decideAcceptance({
        similarity: 0.999,
        policy: bounded,
        hasVerifier,
        evidence: emptyEvidence(),
      });
      expect(decision).toEqual({
        action: hasVerifier ? 'verify' : 'miss',
        explore: false,
        record: true,
        reason: R.noEvidence,
      });
    }
    expect(decideAcceptance({ similarity: 0.999, policy: bounded, hasVerifier: false }).action).toBe('miss');
  });

  it('serves unverified at or above the learned threshold', () => {
    expect(
      decideAcceptance({
        similarity: 0.97,
        policy: bounded,
        hasVerifier: false,
        evidence: learned,
        random: never,
      }),
    ).toEqual({ action: 'serve', explore: false, record: false, reason: R.withinBound });
  });

  it('below the learned threshold verifies (or misses), recording the outcome', () => {
    for (const hasVerifier of [true, false]) {
      expect(
        decideAcceptance({
          similarity: 0.969,
          policy: bounded,
          hasVerifier,
          evidence: learned,
          random: never,
        }),
      ).toEqual({
        action: hasVerifier ? 'verify' : 'miss',
        explore: false,
        record: true,
        reason: R.belowLearnedThreshold,
      });
    }
  });

  it('explores a would-be hit when the draw falls under explorationRate', () => {
    expect(
      decideAcceptance({
        similarity: 0.98,
        policy: bounded,
        hasVerifier: false,
        evidence: learned,
        random: always,
      }),
    ).toEqual({ action: 'miss', explore: true, record: true, reason: R.exploration });
    expect(
      decideAcceptance({
        similarity: 0.98,
        policy: bounded,
        hasVerifier: true,
        evidence: learned,
        random: always,
      }),
    ).toEqual({ action: 'verify', explore: true, record: true, reason: R.exploration });
  });

  it('explores about explorationRate of would-be hits', () => {
    let state = 1;
    const random = () => {
      state = (state * 48_271) % 2_147_483_647;
      return state / 2_147_483_647;
    };
    const explored = Array.from({ length: 20_000 }, () =>
      decideAcceptance({ similarity: 0.99, policy: bounded, hasVerifier: false, evidence: learned, random }),
    ).filter((decision) => decision.explore).length;
    expect(explored / 20_000).toBeGreaterThan(0.04);
    expect(explored / 20_000).toBeLessThan(0.06);
  });

  it('with acceptSimilarity too, both must allow an unverified hit', () => {
    const both = policy({ maxErrorRate: 0.05, acceptSimilarity: 0.99 });
    expect(
      decideAcceptance({
        similarity: 0.98,
        policy: both,
        hasVerifier: true,
        evidence: learned,
        random: never,
      }),
    ).toMatchObject({ action: 'verify', reason: R.belowAcceptSimilarity, record: true });
    expect(
      decideAcceptance({
        similarity: 0.995,
        policy: both,
        hasVerifier: true,
        evidence: learned,
        random: never,
      }).action,
    ).toBe('serve');
    // Above the band but without evidence: still no unverified hit.
    expect(
      decideAcceptance({ similarity: 0.995, policy: both, hasVerifier: true, evidence: emptyEvidence() })
        .action,
    ).toBe('verify');
  });
});
