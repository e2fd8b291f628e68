// The demo must tell the truth: every step's expected result is what deja really does.
import { createDeja, lexicalEmbedder } from '@deja/core';
import { describe, expect, it } from 'vitest';
import { mockJudge, sameMeaning } from './mock-judge.js';
import { mockChatModel } from './mock-model.js';
import { costOf, runDemo } from './run-demo.js';
import { DEMO_MIN_SIMILARITY, DEMO_PRICES, DEMO_STEPS } from './script.js';

describe('runDemo on the memory store', () => {
  it('gives every step the result the script announces, and calls the model only on misses', async () => {
    const judge = mockJudge(async () => undefined);
    const deja = createDeja({
      embedder: lexicalEmbedder(),
      minSimilarity: DEMO_MIN_SIMILARITY,
      verifier: judge,
      prices: DEMO_PRICES,
      statsFlushMs: 0,
    });
    const model = mockChatModel(async () => undefined);
    const seen: number[] = [];
    const calls = await runDemo({ deja, model, judge, onCall: (call) => seen.push(call.index) });
    expect(calls.map((call) => call.hit)).toEqual(DEMO_STEPS.map((step) => step.expected));
    expect(seen).toEqual(DEMO_STEPS.map((_, i) => i + 1));
    const misses = calls.filter((call) => call.hit === 'miss');
    expect(model.calls).toBe(misses.length);

    for (const call of calls) {
      // Every semantic hit was confirmed by the judge, as printed (✓).
      if (call.hit === 'semantic') {
        expect(call.similarity).toBeGreaterThanOrEqual(DEMO_MIN_SIMILARITY);
        expect(call.similarity).toBeLessThan(1);
        expect(call.verdict).toBe('same');
      }
      if (call.hit === 'exact') expect(call.similarity).toBe(1);
      // A miss near an entry was either below the threshold or turned down by the judge (✗).
      if (call.hit === 'miss' && call.nearest !== undefined && call.verdict === undefined)
        expect(call.nearest).toBeLessThan(DEMO_MIN_SIMILARITY);
      if (call.verdict === 'different') expect(call.nearest).toBeGreaterThanOrEqual(DEMO_MIN_SIMILARITY);
      if (call.hit === 'miss') expect([call.tokensSaved, call.costSaved]).toEqual([0, 0]);
      else expect(call.costSaved).toBeGreaterThan(0);
    }
    // The demo's own sums agree with deja.stats().
    const stats = deja.stats();
    const hits = calls.filter((call) => call.hit !== 'miss');
    expect(stats.exactHits + stats.semanticHits).toBe(hits.length);
    expect(stats.misses).toBe(misses.length);
    expect(stats.tokensSaved).toBe(hits.reduce((sum, call) => sum + call.tokensSaved, 0));
    expect(stats.costSaved).toBeCloseTo(
      hits.reduce((sum, call) => sum + call.costSaved, 0),
      12,
    );
    expect(Object.keys(stats.byTenant).sort()).toEqual(['acme', 'globex']);
    // The near misses were judged and turned down: the judge is what keeps them out.
    expect(calls.filter((call) => call.verdict === 'different').map((call) => call.step.question)).toEqual([
      'How do I reset my username?',
      'Do you ship to Mexico?',
    ]);
    expect(stats.verification.verifications).toBe(judge.usage().calls);
    await deja.close();
  });

  it("has a judge that knows only the script's paraphrases", () => {
    expect(sameMeaning('How can I reset my password?', 'How do I reset my password?')).toBe(true);
    expect(sameMeaning('How do I reset my username?', 'How do I reset my password?')).toBe(false);
    expect(sameMeaning('Do you ship to Mexico?', 'Do you ship to Canada?')).toBe(false);
  });

  it('prices tokens with the example table, and unknown models at zero', () => {
    expect(costOf('mock-mini', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(2.5);
    expect(costOf('mock-max', { inputTokens: 100, outputTokens: 10 })).toBeCloseTo(
      (100 * 5 + 10 * 15) / 1e6,
      15,
    );
    expect(costOf('other', { inputTokens: 100, outputTokens: 10 })).toBe(0);
  });
});
