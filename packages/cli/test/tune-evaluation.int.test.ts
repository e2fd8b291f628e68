// @deja/core/evaluation on the dev set's real all-MiniLM-L6-v2 vectors, through deja's lookup path
// on the memory store and on Redis Stack (FLAT), checked against an independent brute-force
// nearest-neighbour computation over the same vectors. It lives beside `deja tune`, its user.
import { createDeja, type Deja, memoryStore, redisStore } from '@deja/core';
import {
  type Evaluation,
  evaluatePairs,
  paraphrasesToLabelledPairs,
  planEvaluation,
  precisionCurve,
} from '@deja/core/evaluation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStackUrl } from '../../../test/harness/servers.ts';
import { dropTestData } from '../../../test/support/redis-cleanup.ts';
import createEmbedder, { loadDevSet } from './fixtures/tune-minilm-embedder.mjs';

const devSet = loadDevSet();
const pairs = paraphrasesToLabelledPairs(devSet.pairs);

interface Expected {
  nearest: string;
  similarity: number;
  right: boolean;
  /** Similarity gap to the second-nearest stored text: a store may break a near-tie either way. */
  margin: number;
}

/** Nearest stored text of every query by a double loop in float64: no deja, no store. */
function bruteForce(): Map<string, Expected> {
  const plan = planEvaluation(pairs);
  const expected = new Map<string, Expected>();
  for (const query of plan.queries) {
    const q = devSet.vectors.get(query.text) as Float32Array;
    let best = { index: -1, similarity: -2 };
    let second = -2;
    plan.stored.forEach((text, index) => {
      const s = devSet.vectors.get(text) as Float32Array;
      let dot = 0;
      let qq = 0;
      let ss = 0;
      for (let j = 0; j < q.length; j++) {
        dot += (q[j] as number) * (s[j] as number);
        qq += (q[j] as number) ** 2;
        ss += (s[j] as number) ** 2;
      }
      const similarity = dot / Math.sqrt(qq * ss);
      if (similarity > best.similarity) {
        second = best.similarity;
        best = { index, similarity };
      } else if (similarity > second) second = similarity;
    });
    expected.set(query.text, {
      nearest: plan.stored[best.index] as string,
      similarity: best.similarity,
      right: query.rightAnswers.has(best.index),
      margin: best.similarity - second,
    });
  }
  return expected;
}

const expected = bruteForce();

function expectAgreement(evaluation: Evaluation): void {
  expect(evaluation.stored).toBe(new Set(pairs.map((pair) => pair.a)).size);
  expect(evaluation.queries).toHaveLength(expected.size);
  for (const query of evaluation.queries) {
    const truth = expected.get(query.text) as Expected;
    // float32 in the store against float64 here: equal to ~1e-6.
    expect(query.bestSimilarity).toBeCloseTo(truth.similarity, 4);
    if (truth.margin > 1e-4) expect([query.nearest, query.right]).toEqual([truth.nearest, truth.right]);
  }
}

describe('evaluatePairs on the dev set (999 paraphrase pairs, half of them left unanswerable)', () => {
  it('on the memory store: the nearest entry of every query, as brute force finds it', async () => {
    const deja = createDeja({
      store: memoryStore(),
      embedder: createEmbedder(),
      strict: true,
      timeoutMs: 60_000,
      maxErrorRate: false,
    });
    try {
      const evaluation = await evaluatePairs(deja, pairs);
      expectAgreement(evaluation);
      // 988 distinct similars looked up, 498 with their origin stored; the origins at even
      // positions are stored once each: 489 (some repeat).
      expect(evaluation.queries.filter((query) => query.answerable)).toHaveLength(498);
      expect(evaluation.stored).toBe(
        new Set(devSet.pairs.filter((_, i) => i % 2 === 0).map((pair) => pair.origin)).size,
      );
      expect(evaluation.stored).toBe(489);
    } finally {
      await deja.close();
    }
  }, 120_000);

  describe('on Redis Stack (FLAT)', () => {
    const tag = `tune${process.pid}x${Date.now().toString(36)}`;
    let deja: Deja;
    let url: string;

    beforeAll(() => {
      url = redisStackUrl();
      const store = redisStore({ url, prefix: `test:${tag}:`, indexName: `idx-${tag}`, algorithm: 'FLAT' });
      deja = createDeja({
        store,
        embedder: createEmbedder(),
        embeddingKeyPrefix: `emb-${tag}:`,
        strict: true,
        timeoutMs: 30_000,
        maxErrorRate: false,
      });
    });

    afterAll(async () => {
      await deja?.close();
      if (url) await dropTestData(url, [`test:${tag}:*`, `~test:${tag}:*`, `emb-${tag}:*`], `idx-${tag}`);
    });

    it('finds the same nearest entries and gives the same curve as the memory store', async () => {
      const evaluation = await evaluatePairs(deja, pairs, { concurrency: 16 });
      expectAgreement(evaluation);
      const memory = createDeja({
        store: memoryStore(),
        embedder: createEmbedder(),
        strict: true,
        timeoutMs: 60_000,
        maxErrorRate: false,
      });
      const inMemory = await evaluatePairs(memory, pairs).finally(() => memory.close());
      // Near ties (two entries within 1e-4 of each other) may be ordered either way by float32 in
      // the store and float64 here (expectAgreement allows it): the curves are compared without them.
      const clear = (query: Evaluation['queries'][number]) =>
        ((expected.get(query.text) as Expected).margin ?? 0) > 1e-4;
      const rounded = (outcomes: Evaluation['queries']) =>
        precisionCurve(
          outcomes
            .filter(clear)
            .map((query) => ({ ...query, bestSimilarity: Number(query.bestSimilarity?.toFixed(4)) })),
        );
      expect(rounded(evaluation.queries)).toEqual(rounded(inMemory.queries));
      // The pass cleans up after itself.
      expect(await deja.tenant('deja-evaluation').count()).toBe(0);
    }, 180_000);
  });
});
