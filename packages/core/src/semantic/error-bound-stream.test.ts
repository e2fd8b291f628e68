// The error bound on a labelled stream from the DEV SET (data/paraphrase-pairs.json and its
// all-MiniLM-L6-v2 vectors): queries drawn from each similar's nearest origin (bestSimilarity,
// right), shuffled with a seeded PRNG, many passes; the labels are the oracle of exploration.
// The claim tested: the observed error rate of the hits served WITHOUT verification stays within
// δ plus a slack of three standard errors of a proportion at δ over the hits served
// (3 * sqrt(δ(1 - δ) / served)), for δ in {0.01, 0.02, 0.05, 0.1}, over the whole stream, cold
// start included. Two streams: every origin stored (the brief's), and the same plus look-alike
// negatives (each question also asked when its own origin is not stored: any hit is wrong).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type LabelledLookup,
  type SimulationFigures,
  simulateStream,
  staticThresholdFigures,
  sumPasses,
} from './bound-simulation.js';
import { pairLookups } from './pair-lookups.js';

const DATA = join(import.meta.dirname, '..', '..', '..', '..', 'data');
const DELTAS = [0.01, 0.02, 0.05, 0.1] as const;
const PASSES = 20;
const SEEDS = [1, 2, 3];
/** Verifier accuracy of the simulated verifier (symmetric mistakes). */
const VERIFIER_ACCURACY = 0.95;
const MIN_SIMILARITY = 0.7;

function devSetLookups(): { positive: LabelledLookup[]; negative: LabelledLookup[] } {
  const pairs = JSON.parse(readFileSync(join(DATA, 'paraphrase-pairs.json'), 'utf8')) as { origin: string }[];
  const index = JSON.parse(readFileSync(join(DATA, 'paraphrase-minilm-384.json'), 'utf8')) as {
    dimensions: number;
    pairs: number;
  };
  const bytes = readFileSync(join(DATA, 'paraphrase-minilm-384.f32'));
  // Float32 little-endian, as the .json says; copied so the array is aligned.
  const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  expect(index.pairs).toBe(pairs.length);
  return pairLookups({ origins: pairs.map((pair) => pair.origin), vectors, dimensions: index.dimensions });
}

const slack = (delta: number, served: number) => 3 * Math.sqrt((delta * (1 - delta)) / served);
const errorRate = (figures: SimulationFigures) =>
  figures.servedUnverified === 0 ? 0 : figures.wrongUnverified / figures.servedUnverified;

describe('error bound on a labelled stream (DEV SET)', () => {
  const { positive, negative } = devSetLookups();
  const streams = { 'all origins stored': positive, 'with look-alike negatives': [...positive, ...negative] };

  it('the dev set makes the bound matter: the lowest static threshold is far above every δ tested', () => {
    // Without this the test below could not fail: a stream whose errors are all below δ anyway.
    expect(staticThresholdFigures(positive, MIN_SIMILARITY).errorRate).toBeGreaterThan(0.01);
    expect(
      staticThresholdFigures(streams['with look-alike negatives'], MIN_SIMILARITY).errorRate,
    ).toBeGreaterThan(0.1);
  });

  it('cold start: the first 50 lookups serve nothing unverified, at any δ (61 clean outcomes are the least that can pass 0.1)', () => {
    for (const delta of DELTAS) {
      const run = simulateStream(positive.slice(0, 50), {
        policy: { minSimilarity: MIN_SIMILARITY, maxErrorRate: delta, explorationRate: 0 },
        passes: 1,
        seed: 5,
      });
      expect(sumPasses(run.passes)).toMatchObject({ lookups: 50, servedUnverified: 0 });
    }
  });

  for (const [name, lookups] of Object.entries(streams)) {
    for (const delta of DELTAS) {
      it(`${name}, δ = ${delta}, no verifier: served unverified error <= δ + slack`, () => {
        for (const seed of SEEDS) {
          const run = simulateStream(lookups, {
            policy: { minSimilarity: MIN_SIMILARITY, maxErrorRate: delta },
            passes: PASSES,
            seed,
          });
          const all = sumPasses(run.passes);
          const afterWarmUp = sumPasses(run.passes, 2);
          const hitRate = afterWarmUp.servedUnverified / afterWarmUp.lookups;
          console.log(
            `[DEV SET] ${name} δ=${delta} seed=${seed}: served ${all.servedUnverified}, error ${errorRate(all).toFixed(4)}, ` +
              `hit rate after warm-up ${hitRate.toFixed(3)}, extra calls/1000 ${((1000 * afterWarmUp.extraModelCalls) / afterWarmUp.lookups).toFixed(1)}`,
          );
          if (all.servedUnverified > 0)
            expect(errorRate(all)).toBeLessThanOrEqual(delta + slack(delta, all.servedUnverified));
          // Exploration keeps checking served regions: about explorationRate of would-be hits.
          if (afterWarmUp.servedUnverified > 1000) expect(afterWarmUp.explorations).toBeGreaterThan(0);
          if (delta === 0.1) expect(hitRate).toBeGreaterThan(0);
        }
      });
    }
  }

  for (const delta of DELTAS) {
    it(`all origins stored, δ = ${delta}, verifier of accuracy ${VERIFIER_ACCURACY}: served unverified error <= δ + slack`, () => {
      const run = simulateStream(positive, {
        policy: { minSimilarity: MIN_SIMILARITY, maxErrorRate: delta },
        verifierAccuracy: VERIFIER_ACCURACY,
        passes: PASSES,
        seed: 11,
      });
      const all = sumPasses(run.passes);
      const served = all.servedUnverified + all.servedVerified;
      console.log(
        `[DEV SET] verifier ${VERIFIER_ACCURACY} δ=${delta}: unverified ${all.servedUnverified} (error ${errorRate(all).toFixed(4)}), ` +
          `verified ${all.servedVerified} (error ${(all.wrongVerified / Math.max(1, all.servedVerified)).toFixed(4)}), ` +
          `hit rate ${(served / all.lookups).toFixed(3)}, extra calls/1000 ${((1000 * all.extraModelCalls) / all.lookups).toFixed(1)}`,
      );
      if (all.servedUnverified > 0)
        expect(errorRate(all)).toBeLessThanOrEqual(delta + slack(delta, all.servedUnverified));
      // Every candidate not served unverified went to the verifier: verified hits exist.
      expect(all.verifications).toBeGreaterThan(0);
      expect(all.servedVerified).toBeGreaterThan(0);
    });
  }
});
