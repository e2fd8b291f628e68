// Verified semantic hits and the error bound on the DEV SET (data/paraphrase-pairs.json with its
// all-MiniLM-L6-v2 vectors; the data deja's defaults are tuned on, never "unseen").
// A labelled stream runs through core's acceptance rule (packages/core/src/semantic), the same
// simulation the bound's test runs: each similar is a query whose best candidate is its nearest
// origin by cosine; shuffled with a seeded PRNG, 20 passes, 3 seeds. The labels are the oracle of
// exploration (the fresh answer compared with the cached one) and the truth a simulated verifier
// of stated accuracy gets right. Two streams: every question answerable (all origins stored), and
// half unanswerable (each question also asked once without its own origin: any hit is wrong).
// Reported per δ: observed error of hits served unverified (whole stream, cold start included),
// hit rate and extra model calls per 1,000 lookups after 2 warm-up passes, beside the best
// static threshold whose precision is at least the bound's observed precision on the same stream
// (chosen in hindsight with the labels, which flatters the static threshold).
// Runs without Redis (the rule is pure); alone: node bench/sections/verified.ts (after a build).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Core's simulation is not part of its public API; the bench reads the built module directly.
import {
  type LabelledLookup,
  type SimulationFigures,
  simulateStream,
  staticThresholdFigures,
  sumPasses,
} from '../../packages/core/dist/semantic/bound-simulation.js';
import { pairLookups } from '../../packages/core/dist/semantic/pair-lookups.js';
import { type BenchContext, log } from '../lib/context.ts';
import { BENCH_DIR } from '../lib/redisvl.ts';
import { writeReport } from '../lib/report.ts';
import { Results } from '../lib/results.ts';
import { round } from '../lib/timing.ts';

const DATA_DIR = join(BENCH_DIR, '..', 'data');
const DELTAS = [0.01, 0.02, 0.05, 0.1] as const;
const MIN_SIMILARITY = 0.7;
const VERIFIER_ACCURACY = 0.95;
const WARMUP_PASSES = 2;
/** 0.70, 0.71, ... 1.00, built from integers. */
const STATIC_THRESHOLDS = Array.from({ length: 31 }, (_, i) => (70 + i) / 100);

interface Measured {
  errorRate: number;
  hitRate: number;
  extraPer1000: number;
  comparisonsPer1000: number;
  servedUnverified: number;
  verifiedErrorRate: number;
}

function loadLookups(): Record<string, LabelledLookup[]> {
  const pairs = JSON.parse(readFileSync(join(DATA_DIR, 'paraphrase-pairs.json'), 'utf8')) as {
    origin: string;
  }[];
  const index = JSON.parse(readFileSync(join(DATA_DIR, 'paraphrase-minilm-384.json'), 'utf8')) as {
    dimensions: number;
  };
  const bytes = readFileSync(join(DATA_DIR, 'paraphrase-minilm-384.f32'));
  const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const { positive, negative } = pairLookups({
    origins: pairs.map((pair) => pair.origin),
    vectors,
    dimensions: index.dimensions,
  });
  return { answerable: positive, half_unanswerable: [...positive, ...negative] };
}

/** Means over seeds: error over the whole stream, the rest after warm-up. */
function measure(
  lookups: LabelledLookup[],
  options: { delta?: number; verifierAccuracy?: number; passes: number; seeds: number[] },
): Measured {
  const runs = options.seeds.map((seed) => {
    const run = simulateStream(lookups, {
      policy: {
        minSimilarity: MIN_SIMILARITY,
        ...(options.delta === undefined ? {} : { maxErrorRate: options.delta }),
      },
      ...(options.verifierAccuracy === undefined ? {} : { verifierAccuracy: options.verifierAccuracy }),
      passes: options.passes,
      seed,
    });
    return { all: sumPasses(run.passes), warm: sumPasses(run.passes, WARMUP_PASSES) };
  });
  const mean = (pick: (run: { all: SimulationFigures; warm: SimulationFigures }) => number) =>
    runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
  return {
    errorRate: mean((run) => ratio(run.all.wrongUnverified, run.all.servedUnverified)),
    hitRate: mean((run) => ratio(run.warm.servedUnverified + run.warm.servedVerified, run.warm.lookups)),
    extraPer1000: mean((run) => ratio(1000 * run.warm.extraModelCalls, run.warm.lookups)),
    comparisonsPer1000: mean((run) => ratio(1000 * run.warm.comparisons, run.warm.lookups)),
    servedUnverified: mean((run) => run.all.servedUnverified),
    verifiedErrorRate: mean((run) => ratio(run.all.wrongVerified, run.all.servedVerified)),
  };
}

/** The static threshold with the highest hit rate whose error rate is at most `errorRate`. */
function bestStatic(lookups: LabelledLookup[], errorRate: number) {
  for (const threshold of STATIC_THRESHOLDS) {
    const figures = staticThresholdFigures(lookups, threshold);
    if (figures.hits > 0 && figures.errorRate <= errorRate) return { threshold, ...figures };
  }
  return undefined;
}

export async function verifiedHits(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection('Verified hits and the error bound (DEV SET): simulated stream, all-MiniLM-L6-v2');
  const passes = context.quick ? 6 : 20;
  const seeds = context.quick ? [1] : [1, 2, 3];
  const percent = (value: number) => `${(100 * value).toFixed(2)} %`;
  for (const [stream, lookups] of Object.entries(loadLookups())) {
    const rows: string[][] = [];
    for (const delta of DELTAS) {
      const bound = measure(lookups, { delta, passes, seeds });
      const name = `verified_${stream}_delta_${delta}`;
      results.set(
        `${name}_error_rate`,
        round(bound.errorRate, 4),
        `${stream}: δ ${delta}, observed error of unverified hits`,
      );
      results.set(
        `${name}_hit_rate`,
        round(bound.hitRate, 4),
        `${stream}: δ ${delta}, hit rate after warm-up`,
      );
      results.set(
        `${name}_extra_calls_per_1000`,
        round(bound.extraPer1000, 1),
        `${stream}: δ ${delta}, extra model calls / 1,000 lookups`,
        false,
      );
      results.set(
        `${name}_comparisons_per_1000`,
        round(bound.comparisonsPer1000, 1),
        `${stream}: δ ${delta}, fresh answers compared with the candidate / 1,000 lookups (free with equivalent())`,
        false,
      );
      const rival = bound.servedUnverified > 0 ? bestStatic(lookups, bound.errorRate) : undefined;
      results.set(
        `${name}_static_threshold`,
        rival?.threshold ?? 'none',
        `${stream}: δ ${delta}, best static threshold at that precision`,
        false,
      );
      results.set(
        `${name}_static_hit_rate`,
        round(rival?.hitRate ?? 0, 4),
        `${stream}: δ ${delta}, its hit rate`,
        false,
      );
      const verified = measure(lookups, { delta, verifierAccuracy: VERIFIER_ACCURACY, passes, seeds });
      results.set(
        `${name}_verifier_hit_rate`,
        round(verified.hitRate, 4),
        `${stream}: δ ${delta} + verifier ${VERIFIER_ACCURACY}, hit rate`,
        false,
      );
      results.set(
        `${name}_verifier_error_rate`,
        round(verified.errorRate, 4),
        `${stream}: δ ${delta} + verifier, error of unverified hits`,
        false,
      );
      results.set(
        `${name}_verifier_verified_error_rate`,
        round(verified.verifiedErrorRate, 4),
        `${stream}: δ ${delta} + verifier, error of verified hits`,
        false,
      );
      results.set(
        `${name}_verifier_extra_calls_per_1000`,
        round(verified.extraPer1000, 1),
        `${stream}: δ ${delta} + verifier, extra model calls / 1,000 lookups`,
        false,
      );
      rows.push([
        String(delta),
        percent(bound.errorRate),
        percent(bound.hitRate),
        bound.extraPer1000.toFixed(1),
        bound.comparisonsPer1000.toFixed(1),
        rival ? `${rival.threshold.toFixed(2)}: ${percent(rival.hitRate)}` : 'none',
        `${percent(verified.hitRate)} / ${percent(verified.errorRate)} / ${percent(verified.verifiedErrorRate)}`,
        verified.extraPer1000.toFixed(1),
      ]);
    }
    // Verification without a bound: every candidate from minSimilarity up goes to the verifier.
    const verifyAll = measure(lookups, { verifierAccuracy: VERIFIER_ACCURACY, passes, seeds });
    results.set(
      `verified_${stream}_verify_all_hit_rate`,
      round(verifyAll.hitRate, 4),
      `${stream}: verifier ${VERIFIER_ACCURACY} on every candidate >= ${MIN_SIMILARITY}, hit rate`,
      false,
    );
    results.set(
      `verified_${stream}_verify_all_error_rate`,
      round(verifyAll.verifiedErrorRate, 4),
      `${stream}: that, error of served hits`,
      false,
    );
    results.set(
      `verified_${stream}_verify_all_extra_calls_per_1000`,
      round(verifyAll.extraPer1000, 1),
      `${stream}: that, extra model calls / 1,000 lookups`,
      false,
    );
    rows.push([
      'none',
      '-',
      '-',
      '-',
      '-',
      '-',
      `${percent(verifyAll.hitRate)} / - / ${percent(verifyAll.verifiedErrorRate)}`,
      verifyAll.extraPer1000.toFixed(1),
    ]);
    results.block(
      `DEV SET, ${stream.replace('_', ' ')}: bound without verifier | best static at that precision | with a verifier of accuracy ${VERIFIER_ACCURACY}`,
      [
        'δ',
        'error',
        'hit rate',
        'extra/1k',
        'compared/1k',
        'static: hit rate',
        'verifier: hit / unverified err / verified err',
        'extra/1k',
      ],
      rows,
    );
    log(`${stream}: ${rows.map((cells) => `δ ${cells[0]} error ${cells[1]} hits ${cells[2]}`).join('; ')}`);
  }
  results.note(
    `Verified hits (DEV SET): acceptance rule of packages/core/src/semantic on a simulated stream of the dev set's nearest-origin lookups, ` +
      `minSimilarity ${MIN_SIMILARITY}, confidence 0.95, exploration 0.05, ${passes} shuffled passes x ${seeds.length} seeds; error = wrong / served ` +
      `without verification over the whole stream (cold start included); hit rate and extra calls after ${WARMUP_PASSES} warm-up passes. ` +
      `Extra calls = verifications + explorations (a fresh answer computed for a would-be hit); compared = misses whose fresh answer is ` +
      `compared with the candidate to learn (free with a user-given equivalent(), one judge call each otherwise). The simulated verifier is right with ` +
      `probability ${VERIFIER_ACCURACY} either way; its verdicts are the evidence. The static threshold is chosen in hindsight on the same labels.`,
  );
}

// Alone: no Redis is needed, so no servers are started.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const results = new Results();
  const context = { results, quick: process.env.DEJA_BENCH_QUICK === '1' } as BenchContext;
  verifiedHits(context)
    .then(() =>
      writeReport({
        results,
        machine: {
          machine_cpu: cpus()[0]?.model ?? 'unknown',
          machine_cores: cpus().length,
          node_version: process.version,
        },
        runtimeS: Math.round((performance.now() - started) / 1000),
        sections: ['verified'],
        quick: context.quick,
        file: 'partial',
      }),
    )
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
