// Hit quality with real embeddings: all-MiniLM-L6-v2 vectors of data/paraphrase-pairs.json,
// computed offline by bench/embed-pairs.py and kept in data/. Every `origin` is stored in deja
// (Redis Stack, FLAT); every `similar` is looked up (it should hit its own origin), and every
// `similar` is also looked up in an index without its own origin (any hit there is wrong).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePairs, recommendThreshold, scorePairs, thresholdCurve } from '@deja/cli';
import { createDeja, type KnnResult, redisStore } from '@deja/core';
import { type BenchContext, log } from '../lib/context.ts';
import { PrecomputedEmbedder } from '../lib/deja-setup.ts';
import { BENCH_DIR } from '../lib/redisvl.ts';
import { round } from '../lib/timing.ts';
import { row } from '../lib/vectors.ts';

const DATA_DIR = join(BENCH_DIR, '..', 'data');
const PAIRS_FILE = join(DATA_DIR, 'paraphrase-pairs.json');
const VECTORS_FILE = join(DATA_DIR, 'paraphrase-minilm-384.f32');
const INDEX_FILE = join(DATA_DIR, 'paraphrase-minilm-384.json');
/** 0.70, 0.71, ... 0.99, built from integers. */
const THRESHOLDS = Array.from({ length: 30 }, (_, i) => (70 + i) / 100);
/** `deja tune`'s default target precision. */
const TUNE_TARGET_PRECISION = 0.95;

interface Pair {
  origin: string;
  similar: string;
}

/** Per similar: its best match and the best match that is not its own origin (text differs). */
interface Retrieved {
  best: { similarity: number; right: boolean } | undefined;
  bestWrong: number | undefined;
}

export async function hitQuality(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection('Hit quality: paraphrase pairs, all-MiniLM-L6-v2 (384)');
  const pairs = JSON.parse(readFileSync(PAIRS_FILE, 'utf8')) as Pair[];
  const index = JSON.parse(readFileSync(INDEX_FILE, 'utf8')) as { pairs: number; dimensions: number };
  const buffer = readFileSync(VECTORS_FILE);
  const vectors = new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4);
  const dimensions = index.dimensions;
  if (index.pairs !== pairs.length || vectors.length !== 2 * pairs.length * dimensions) {
    throw new Error(
      'hit quality: data/paraphrase-minilm-384.* does not match paraphrase-pairs.json; rerun bench/embed-pairs.py',
    );
  }
  const originVector = (i: number) => row(vectors, i, dimensions);
  const similarVector = (i: number) => row(vectors, pairs.length + i, dimensions);

  const store = redisStore({
    url: context.stackUrl,
    prefix: 'bench:quality:',
    indexName: 'bench-quality-idx',
  });
  const deja = createDeja({ store, dimensions, statsFlushMs: 0, timeoutMs: 10_000 });
  const tenant = deja.tenant('quality');
  const retrieved: Retrieved[] = [];
  try {
    await deja.ready();
    for (const [i, pair] of pairs.entries()) {
      const stored = await tenant.put({
        key: { pair: i },
        value: `answer to pair ${i}`,
        text: pair.origin,
        vector: originVector(i),
        meta: { custom: { i } },
      });
      if (!stored.stored) throw new Error(`hit quality: origin ${i} was not stored`);
    }
    for (const [i, pair] of pairs.entries()) {
      // k=8: duplicated origins (same text, other pairs) must not hide the best wrong match.
      const matches: KnnResult[] = await tenant.knn(similarVector(i), { k: 8 });
      const best = matches[0];
      const wrong = matches.find((match) => match.text !== pair.origin);
      retrieved.push({
        best: best && { similarity: best.similarity, right: best.text === pair.origin },
        bestWrong: wrong?.similarity,
      });
    }
  } finally {
    await tenant.clear();
    await deja.close();
  }

  const rows: string[][] = [];
  let bestF1 = { threshold: 0, f1: -1 };
  for (const threshold of THRESHOLDS) {
    let rightHits = 0;
    let wrongHits = 0;
    for (const query of retrieved) {
      // The positive lookup: against every origin.
      if (query.best && query.best.similarity >= threshold) {
        if (query.best.right) rightHits++;
        else wrongHits++;
      }
      // The negative lookup: against the index without its own origin.
      if (query.bestWrong !== undefined && query.bestWrong >= threshold) wrongHits++;
    }
    const precision = rightHits + wrongHits === 0 ? 1 : rightHits / (rightHits + wrongHits);
    const recall = rightHits / pairs.length;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    if (f1 > bestF1.f1) bestF1 = { threshold, f1 };
    const at = threshold.toFixed(2);
    results.set(
      `hit_quality_precision_at_${at}`,
      round(precision, 4),
      `precision at minSimilarity ${at}`,
      false,
    );
    results.set(`hit_quality_recall_at_${at}`, round(recall, 4), `recall at minSimilarity ${at}`, false);
    results.set(`hit_quality_f1_at_${at}`, round(f1, 4), `F1 at minSimilarity ${at}`, false);
    rows.push([
      at,
      precision.toFixed(3),
      recall.toFixed(3),
      f1.toFixed(3),
      String(rightHits),
      String(wrongHits),
    ]);
  }
  results.set('hit_quality_pairs', pairs.length, 'origins stored = positive lookups = negative lookups');
  results.set(
    'hit_quality_best_f1_min_similarity',
    bestF1.threshold,
    'minSimilarity with the best F1 (deja lookups above)',
  );
  results.set('hit_quality_best_f1', round(bestF1.f1, 4), 'that F1');
  results.set(
    'hit_quality_f1_at_default_0.90',
    Number(results.get('hit_quality_f1_at_0.90')),
    "F1 at deja's default minSimilarity 0.9",
  );

  // What `deja tune --pairs paraphrase-pairs.json` says with the same embedder (its own pair
  // scoring and recommendation, from @deja/cli), over the same threshold range.
  const embedder = new PrecomputedEmbedder(dimensions);
  pairs.forEach((pair, i) => {
    embedder.set(pair.origin, originVector(i));
    embedder.set(pair.similar, similarVector(i));
  });
  const curve = thresholdCurve(
    await scorePairs(parsePairs(pairs, 'paraphrase-pairs.json'), embedder),
    THRESHOLDS,
  );
  const recommended = recommendThreshold(curve, TUNE_TARGET_PRECISION);
  results.set(
    'tune_recommended_min_similarity',
    recommended ? recommended.threshold : 'none',
    `what deja tune recommends (lowest threshold keeping precision >= ${TUNE_TARGET_PRECISION} on its origin/similar pairs)`,
  );
  if (recommended) {
    results.set(
      'tune_recommended_precision',
      round(recommended.precision ?? 0, 4),
      "deja tune's precision at that threshold",
    );
    results.set(
      'tune_recommended_recall',
      round(recommended.recall, 4),
      "deja tune's recall at that threshold",
    );
    const at = recommended.threshold.toFixed(2);
    results.set(
      'hit_quality_f1_at_tune_recommendation',
      Number(results.get(`hit_quality_f1_at_${at}`)),
      'F1 of deja lookups at the recommended threshold',
    );
  }
  results.block(
    'Per minSimilarity (deja lookups; wrong hits = wrong entry served + hits without the own origin)',
    ['minSimilarity', 'precision', 'recall', 'F1', 'right hits', 'wrong hits'],
    rows,
  );
  results.note(
    'Hit quality: 999 origins stored in deja (Redis Stack, FLAT, 384-dim all-MiniLM-L6-v2 vectors from data/, made by bench/embed-pairs.py); ' +
      'each similar is looked up once against all origins (a hit on its own origin text is right, on another is wrong) and once against ' +
      'the origins without its own (any hit is wrong). precision = right / (right + wrong), recall = right / 999. ' +
      'The recommendation is @deja/cli recommendThreshold (deja tune) on its own origin/similar and origin/next-similar pairs, target precision 0.95.',
  );
  log(
    `best F1 ${round(bestF1.f1, 3)} at ${bestF1.threshold}; deja tune recommends ${recommended ? recommended.threshold : 'nothing'} ` +
      `(precision ${recommended?.precision?.toFixed(3)}, recall ${recommended?.recall.toFixed(3)})`,
  );
}
