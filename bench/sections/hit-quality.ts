// Hit quality on the DEV SET (data/paraphrase-pairs.json, the data deja's defaults are tuned on;
// never call these figures unseen), with real all-MiniLM-L6-v2 vectors computed offline by
// bench/embed-pairs.py. The protocol is @deja/core/evaluation's, the one `deja tune` and the tests
// use: every stored-side text stored in deja on Redis Stack (FLAT), every query looked up
// against all of them through responses.lookup. The {origin, similar} pairs become labelled
// pairs with half of the questions left unanswerable (their origin is not stored), so a
// threshold is measured on the questions a cache has no answer for, too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCurveSvg, tuneThreshold } from '@deja/cli';
import { createDeja, redisStore } from '@deja/core';
import {
  evaluatePairs,
  type LabelledPair,
  lowestThresholdMeeting,
  type ParaphrasePair,
  type PrecisionPoint,
  paraphrasesToLabelledPairs,
  pointAt,
  precisionCurve,
} from '@deja/core/evaluation';
import { type BenchContext, log } from '../lib/context.ts';
import { PrecomputedEmbedder } from '../lib/deja-setup.ts';
import { BENCH_DIR } from '../lib/redisvl.ts';
import type { Results } from '../lib/results.ts';
import { round } from '../lib/timing.ts';
import { row } from '../lib/vectors.ts';

const DATA_DIR = join(BENCH_DIR, '..', 'data');
const PAIRS_FILE = join(DATA_DIR, 'paraphrase-pairs.json');
const VECTORS_FILE = join(DATA_DIR, 'paraphrase-minilm-384.f32');
const INDEX_FILE = join(DATA_DIR, 'paraphrase-minilm-384.json');
export const PLOT_FILE = join(BENCH_DIR, 'results', 'hit-quality-dev-set.svg');
/** 0.70, 0.71, ... 0.99, built from integers. */
const THRESHOLDS = Array.from({ length: 30 }, (_, i) => (70 + i) / 100);
const PRECISION_GOALS = [0.9, 0.95] as const;

export async function hitQuality(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection('Hit quality (DEV SET): paraphrase pairs, all-MiniLM-L6-v2 (384), realistic protocol');
  const { pairs, embedder } = loadDevSet();
  const labelled = paraphrasesToLabelledPairs(pairs);

  const curve = await measure(context, labelled, embedder, 'mixed');
  const rows = curve.map((point) => {
    const at = point.threshold.toFixed(2);
    results.set(
      `hit_quality_precision_at_${at}`,
      round(point.precision ?? 0, 4),
      `precision at ${at}`,
      false,
    );
    results.set(
      `hit_quality_precision_lower_bound_at_${at}`,
      round(point.precisionLowerBound, 4),
      `95 % Wilson lower bound of precision at ${at}`,
      false,
    );
    results.set(`hit_quality_recall_at_${at}`, round(point.recall, 4), `recall at ${at}`, false);
    results.set(`hit_quality_hit_rate_at_${at}`, round(point.hitRate, 4), `hit rate at ${at}`, false);
    return [
      at,
      String(point.hits),
      String(point.rightHits),
      point.precision === null ? '-' : point.precision.toFixed(3),
      point.precisionLowerBound.toFixed(3),
      point.recall.toFixed(3),
      point.hitRate.toFixed(3),
    ];
  });
  const atDefault = pointAt(curve, 0.9) as PrecisionPoint;
  results.set(
    'hit_quality_precision_at_default_0.90',
    round(atDefault.precision ?? 0, 4),
    "DEV SET precision at deja's default minSimilarity 0.90",
  );
  results.set('hit_quality_recall_at_default_0.90', round(atDefault.recall, 4), 'DEV SET recall at 0.90');
  for (const goal of PRECISION_GOALS) bestStatic(results, curve, goal);

  // The same pass with every origin stored (no unanswerable question): what the old protocol
  // measured, for contrast. Precision here says how often the nearest entry is the right one.
  const answerable = await measure(
    context,
    pairs.map(({ origin, similar }) => ({ a: origin, b: similar, same: true })),
    embedder,
    'answerable',
  );
  results.set(
    'hit_quality_all_answerable_precision_at_0.90',
    round(pointAt(answerable, 0.9)?.precision ?? 0, 4),
    'DEV SET precision at 0.90 when every question has its answer stored (no unanswerable lookups)',
  );

  // What `deja tune` says on the dev set (its own split: tuned on one half, figures from the other).
  for (const goal of PRECISION_GOALS) {
    const tuned = await tuneThreshold({
      pairs: labelled,
      embedder,
      targetPrecision: goal,
      seed: 1,
      thresholds: THRESHOLDS,
    });
    const name = `tune_recommended_min_similarity_${goal}`;
    results.set(
      name,
      tuned.recommended ? tuned.recommended.threshold : 'none',
      `what deja tune recommends for target precision ${goal} (DEV SET)`,
    );
    if (tuned.recommended) {
      results.set(
        `tune_held_out_precision_${goal}`,
        round(tuned.recommended.heldOut.precision ?? 0, 4),
        'its precision on the held-out half',
      );
      results.set(
        `tune_held_out_recall_${goal}`,
        round(tuned.recommended.heldOut.recall, 4),
        'its recall on the held-out half',
      );
    }
  }

  results.block(
    'Per minSimilarity (DEV SET; deja on Redis Stack; a hit is right only on the labelled counterpart)',
    ['minSimilarity', 'hits', 'right', 'precision', '95% low', 'recall', 'hit rate'],
    rows,
  );
  writeFileSync(
    PLOT_FILE,
    renderCurveSvg({
      curve,
      title: 'deja hit quality on the DEV SET: all-MiniLM-L6-v2, static minSimilarity',
      subtitle: `${pairs.length} paraphrase pairs, half of the questions without an answer stored; deja on Redis Stack (FLAT)`,
    }),
  );
  results.note(
    `Hit quality (DEV SET, data/paraphrase-pairs.json, tuned on, not unseen): @deja/core/evaluation on Redis Stack (FLAT). ` +
      `Of ${pairs.length} {origin, similar} pairs, even ones keep their origin stored; odd ones do not, and their similar is labelled different ` +
      `from the previous origin, so their nearest stored origin is a hard negative. Every distinct similar is looked up once against all stored ` +
      `origins (k=1, minSimilarity 0): right only on its labelled origin. precision = right / hits (95 % Wilson lower bound), recall = right / ` +
      `answerable lookups, hit rate = hits / lookups. Plot: bench/results/hit-quality-dev-set.svg.`,
  );
  log(
    `DEV SET: precision ${atDefault.precision?.toFixed(3)} (low ${atDefault.precisionLowerBound.toFixed(3)}) and recall ${atDefault.recall.toFixed(3)} at 0.90; plot ${PLOT_FILE}`,
  );
}

/** The lowest threshold (most recall) reaching `goal`: by the point estimate, and by the lower bound. */
function bestStatic(results: Results, curve: PrecisionPoint[], goal: number): void {
  const byEstimate = curve.find((point) => point.precision !== null && point.precision >= goal);
  const byBound = lowestThresholdMeeting(curve, goal);
  results.set(
    `hit_quality_best_static_precision_${goal}`,
    byEstimate ? byEstimate.threshold : 'none',
    `DEV SET: lowest minSimilarity with precision >= ${goal}${byEstimate ? ` (precision ${byEstimate.precision?.toFixed(3)}, recall ${byEstimate.recall.toFixed(3)})` : ''}`,
  );
  if (byEstimate)
    results.set(`hit_quality_best_static_recall_${goal}`, round(byEstimate.recall, 4), 'its recall');
  results.set(
    `hit_quality_best_static_lower_bound_${goal}`,
    byBound ? byBound.threshold : 'none',
    `DEV SET: lowest minSimilarity whose 95 % lower bound of precision >= ${goal}`,
  );
}

async function measure(
  context: BenchContext,
  labelled: LabelledPair[],
  embedder: PrecomputedEmbedder,
  name: string,
): Promise<PrecisionPoint[]> {
  const store = redisStore({
    url: context.stackUrl,
    prefix: `bench:quality:${name}:`,
    indexName: `bench-quality-${name}-idx`,
    algorithm: 'FLAT',
  });
  const deja = createDeja({
    store,
    embedder,
    embeddingKeyPrefix: `bench:quality-emb:${name}:`,
    statsFlushMs: 0,
    timeoutMs: 10_000,
    strict: true,
    // The static rule: this section measures what a similarity threshold alone gives.
    maxErrorRate: false,
  });
  try {
    await deja.ready();
    const evaluation = await evaluatePairs(deja, labelled, { concurrency: 16 });
    return precisionCurve(evaluation.queries, THRESHOLDS);
  } finally {
    await deja.close();
  }
}

function loadDevSet(): { pairs: ParaphrasePair[]; embedder: PrecomputedEmbedder } {
  const pairs = JSON.parse(readFileSync(PAIRS_FILE, 'utf8')) as ParaphrasePair[];
  const index = JSON.parse(readFileSync(INDEX_FILE, 'utf8')) as { pairs: number; dimensions: number };
  const buffer = readFileSync(VECTORS_FILE);
  const vectors = new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4);
  if (index.pairs !== pairs.length || vectors.length !== 2 * pairs.length * index.dimensions) {
    throw new Error(
      'hit quality: data/paraphrase-minilm-384.* does not match paraphrase-pairs.json; rerun bench/embed-pairs.py',
    );
  }
  const embedder = new PrecomputedEmbedder(index.dimensions);
  pairs.forEach((pair, i) => {
    embedder.set(pair.origin, row(vectors, i, index.dimensions));
    embedder.set(pair.similar, row(vectors, pairs.length + i, index.dimensions));
  });
  return { pairs, embedder };
}
