// generateText and structured output through dejaMiddleware, on the memory store, Redis Stack and
// plain Redis, counting what reaches the (mock) model.
import { createDeja, type Deja } from '@deja/core';
import { fixedEmbedder } from '@deja/core/testing';
import type { LanguageModel } from 'ai';
import type { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeTestStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import { dejaHitOf, dejaMetadataOf, dejaMiddleware } from '../src/index.ts';
import { generateResult, lastUserText, textModel, usage } from './fixtures.ts';
import { majorsTimes } from './majors.ts';

const QUESTION = 'What is the capital of France?';
const PARAPHRASE = 'Tell me the capital city of France';
const OTHER = 'How tall is Mount Everest?';

describe.each(majorsTimes(STORE_KINDS))(
  'generateText through dejaMiddleware, %s, on %s',
  (_, kind, major) => {
    const { generateText, wrapLanguageModel, Output, tool, MockLanguageModel } = major;
    let testStore: TestStore;
    let deja: Deja;
    let tenantCounter = 0;
    // A fresh tenant per test keeps each test's entries to itself.
    const nextTenant = () => `tenant-${kind}-${++tenantCounter}`;
    const cached = (
      model: MockLanguageModelV4,
      tenant: string,
      extra: { minSimilarity?: number } = {},
    ): LanguageModel => wrapLanguageModel({ model, middleware: dejaMiddleware({ deja, tenant, ...extra }) });

    beforeAll(() => {
      testStore = makeTestStore(kind);
      const embedder = fixedEmbedder({
        [QUESTION]: [1, 0, 0, 0, 0, 0, 0, 0],
        [PARAPHRASE]: [0.98, 0.2, 0, 0, 0, 0, 0, 0],
        [OTHER]: [0, 0, 1, 0, 0, 0, 0, 0],
      });
      deja = createDeja({ ...testStore.dejaOptions, embedder, statsFlushMs: 0 });
    });
    afterAll(async () => {
      await deja.close();
      await testStore.cleanup();
    });

    it('answers a repeated generateText from the cache, marked as a hit with zero usage', async () => {
      const model = textModel({ major });
      const wrapped = cached(model, nextTenant());

      const testStartedAt = Date.now();
      const first = await generateText({ model: wrapped, prompt: QUESTION });
      const second = await generateText({ model: wrapped, prompt: QUESTION });

      expect(model.doGenerateCalls).toHaveLength(1);
      expect(second.text).toBe(first.text);
      expect(first.text).toBe(`Answer to: ${QUESTION}`);
      expect(dejaHitOf(first.providerMetadata)).toBeUndefined();
      expect(dejaMetadataOf(first.providerMetadata)).toEqual({ hit: 'miss', reason: 'no-entry' });
      const hit = dejaHitOf(second.providerMetadata);
      expect(hit).toMatchObject({ hit: 'exact', similarity: 1 });
      // Clamped at 0, so only an upper bound can fail: no older than this test.
      expect(hit?.ageMs).toBeLessThanOrEqual(Date.now() - testStartedAt);
      expect(hit?.originalUsage).toEqual(usage());
      expect(second.usage.inputTokens).toBe(0);
      expect(second.usage.outputTokens).toBe(0);
      expect(first.usage.inputTokens).toBe(12);
      expect(second.response.timestamp).toBeInstanceOf(Date);
      expect(second.response.timestamp.toISOString()).toBe(first.response.timestamp.toISOString());
      expect(second.finishReason).toBe('stop');
    });

    it('round-trips Output.object structured output', async () => {
      const city = { name: 'Paris', population: 2_102_650, landmarks: ['Eiffel Tower', 'Louvre'] };
      const model = new MockLanguageModel({
        doGenerate: async () => generateResult([{ type: 'text', text: JSON.stringify(city) }]),
      });
      const wrapped = cached(model, nextTenant());
      const output = Output.object({
        schema: z.object({ name: z.string(), population: z.number(), landmarks: z.array(z.string()) }),
      });

      const first = await generateText({ model: wrapped, prompt: 'Describe Paris as JSON', output });
      const second = await generateText({ model: wrapped, prompt: 'Describe Paris as JSON', output });

      expect(model.doGenerateCalls).toHaveLength(1);
      expect(model.doGenerateCalls[0]?.responseFormat).toMatchObject({ type: 'json' });
      expect(first.output).toEqual(city);
      expect(second.output).toEqual(city);
      expect(dejaHitOf(second.providerMetadata)?.hit).toBe('exact');
    });

    it('round-trips tool calls, and a changed tool set is a miss', async () => {
      const model = new MockLanguageModel({
        doGenerate: async () =>
          generateResult(
            [
              { type: 'reasoning', text: 'The user wants the weather; call the tool.' },
              { type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: '{"city":"Paris"}' },
            ],
            { finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
          ),
      });
      const wrapped = cached(model, nextTenant());
      const weather = tool({
        description: 'Weather in a city',
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, celsius: 21 }),
      });

      const first = await generateText({ model: wrapped, prompt: 'Weather in Paris?', tools: { weather } });
      const second = await generateText({ model: wrapped, prompt: 'Weather in Paris?', tools: { weather } });

      expect(model.doGenerateCalls).toHaveLength(1);
      expect(second.toolCalls).toEqual(first.toolCalls);
      expect(second.toolCalls[0]).toMatchObject({
        toolName: 'weather',
        input: { city: 'Paris' },
        toolCallId: 'call-1',
      });
      expect(second.toolResults).toEqual(first.toolResults);
      expect(second.toolResults[0]?.output).toEqual({ city: 'Paris', celsius: 21 });
      expect(second.reasoningText).toBe('The user wants the weather; call the tool.');
      expect(second.finishReason).toBe('tool-calls');

      const forecast = tool({
        description: 'Forecast',
        inputSchema: z.object({ city: z.string(), days: z.number() }),
      });
      await generateText({ model: wrapped, prompt: 'Weather in Paris?', tools: { weather, forecast } });
      expect(model.doGenerateCalls).toHaveLength(2);
    });

    it('misses when the system prompt, the model, the temperature or the tenant changes', async () => {
      const model = textModel({ major });
      const tenant = nextTenant();
      const wrapped = cached(model, tenant);
      await generateText({ model: wrapped, system: 'Be brief.', prompt: QUESTION, temperature: 0 });
      await generateText({ model: wrapped, system: 'Be brief.', prompt: QUESTION, temperature: 0 });
      expect(model.doGenerateCalls).toHaveLength(1);

      await generateText({ model: wrapped, system: 'Be thorough.', prompt: QUESTION, temperature: 0 });
      expect(model.doGenerateCalls).toHaveLength(2);
      await generateText({ model: wrapped, system: 'Be brief.', prompt: QUESTION, temperature: 0.7 });
      expect(model.doGenerateCalls).toHaveLength(3);
      await generateText({
        model: cached(model, nextTenant()),
        system: 'Be brief.',
        prompt: QUESTION,
        temperature: 0,
      });
      expect(model.doGenerateCalls).toHaveLength(4);

      const otherModel = textModel({ major, modelId: 'another-model' });
      await generateText({
        model: cached(otherModel, tenant),
        system: 'Be brief.',
        prompt: QUESTION,
        temperature: 0,
      });
      expect(otherModel.doGenerateCalls).toHaveLength(1);
      expect(model.doGenerateCalls).toHaveLength(4);
    });

    it('answers a paraphrase semantically in the same scope, and misses it in another', async () => {
      const model = textModel({ major, answer: () => 'Paris.' });
      const wrapped = cached(model, nextTenant(), { minSimilarity: 0.95 });

      await generateText({ model: wrapped, system: 'Answer in one word.', prompt: QUESTION });
      const paraphrased = await generateText({
        model: wrapped,
        system: 'Answer in one word.',
        prompt: PARAPHRASE,
      });
      expect(model.doGenerateCalls).toHaveLength(1);
      expect(paraphrased.text).toBe('Paris.');
      const hit = dejaHitOf(paraphrased.providerMetadata);
      expect(hit?.hit).toBe('semantic');
      expect(hit?.similarity).toBeGreaterThan(0.95);
      expect(hit?.similarity).toBeLessThan(1);

      await generateText({ model: wrapped, system: 'Answer in a full sentence.', prompt: PARAPHRASE });
      expect(model.doGenerateCalls).toHaveLength(2);
      await generateText({ model: wrapped, system: 'Answer in one word.', prompt: OTHER });
      expect(model.doGenerateCalls).toHaveLength(3);
    });

    it('lets concurrent identical calls share one model call', async () => {
      const model = textModel({ major, delayMs: 60 });
      const wrapped = cached(model, nextTenant());

      const results = await Promise.all(
        [1, 2, 3].map(() => generateText({ model: wrapped, prompt: QUESTION })),
      );

      expect(model.doGenerateCalls).toHaveLength(1);
      expect(new Set(results.map((result) => result.text))).toEqual(new Set([`Answer to: ${QUESTION}`]));
      const kinds = results.map((result) => dejaHitOf(result.providerMetadata)?.hit ?? 'fresh').sort();
      expect(kinds).toEqual(['fresh', 'shared', 'shared']);
    });

    it('keeps per-call tenant, user and mode from providerOptions.deja apart', async () => {
      const model = textModel({ major, answer: (params) => `For ${lastUserText(params)}` });
      const wrapped = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja }) });
      const tenant = nextTenant();
      const ask = (deja: Record<string, string | boolean>) =>
        generateText({ model: wrapped, prompt: OTHER, providerOptions: { deja: { tenant, ...deja } } });

      await ask({ user: 'ada' });
      await ask({ user: 'ada' });
      expect(model.doGenerateCalls).toHaveLength(1);
      await ask({ user: 'grace' });
      expect(model.doGenerateCalls).toHaveLength(2);
      await ask({ user: 'ada', mode: 'off' });
      expect(model.doGenerateCalls).toHaveLength(3);
      const refreshed = await ask({ user: 'ada', refresh: true });
      expect(model.doGenerateCalls).toHaveLength(4);
      expect(dejaHitOf(refreshed.providerMetadata)).toBeUndefined();
    });

    it('says why a call missed in providerMetadata.deja: no entry, below the threshold (with the best similarity), mode off, refresh', async () => {
      const model = textModel({ major });
      const tenant = nextTenant();
      const wrapped = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja, tenant }) });
      const ask = (prompt: string, callOptions: Record<string, string | number | boolean> = {}) =>
        generateText({ model: wrapped, prompt, providerOptions: { deja: callOptions } });

      expect(dejaMetadataOf((await ask(QUESTION)).providerMetadata)).toEqual({
        hit: 'miss',
        reason: 'no-entry',
      });
      const strict = await ask(PARAPHRASE, { minSimilarity: 0.999 });
      const below = dejaMetadataOf(strict.providerMetadata);
      expect(below).toEqual({ hit: 'miss', reason: 'below-threshold', similarity: expect.any(Number) });
      // cos([1,0,...], [0.98,0.2,...]) = 0.98 / |(0.98, 0.2)|
      expect(below?.similarity).toBeCloseTo(0.98 / Math.hypot(0.98, 0.2), 4);
      expect(dejaMetadataOf((await ask(QUESTION, { mode: 'off' })).providerMetadata)).toEqual({
        hit: 'miss',
        reason: 'mode-off',
      });
      expect(dejaMetadataOf((await ask(QUESTION, { refresh: true })).providerMetadata)).toEqual({
        hit: 'miss',
        reason: 'refresh',
      });
      expect(model.doGenerateCalls).toHaveLength(4);
      // The provider's own metadata is never replaced, only joined by `deja`.
      const withProviderMetadata = new MockLanguageModel({
        doGenerate: async () =>
          generateResult([{ type: 'text', text: 'x' }], { providerMetadata: { openai: { id: 'r-9' } } }),
      });
      const fresh = await generateText({ model: cached(withProviderMetadata, nextTenant()), prompt: OTHER });
      expect(fresh.providerMetadata).toEqual({
        openai: { id: 'r-9' },
        deja: { hit: 'miss', reason: 'no-entry' },
      });
    });

    it('gives a semantic hit a reference; reportWrongHit(reference) stops that entry answering that prompt', async () => {
      const model = textModel({ major, answer: () => 'Paris.' });
      const tenant = nextTenant();
      const wrapped = cached(model, tenant, { minSimilarity: 0.95 });

      await generateText({ model: wrapped, prompt: QUESTION });
      const served = await generateText({ model: wrapped, prompt: PARAPHRASE });
      const hit = dejaHitOf(served.providerMetadata);
      expect(hit).toMatchObject({ hit: 'semantic', verified: false, reference: expect.any(String) });
      expect(model.doGenerateCalls).toHaveLength(1);
      const exact = dejaHitOf((await generateText({ model: wrapped, prompt: QUESTION })).providerMetadata);
      expect(exact?.hit).toBe('exact');
      expect(exact).not.toHaveProperty('reference');

      // The user's thumbs-down.
      await deja.tenant(tenant).responses.reportWrongHit(hit?.reference as string);
      const again = await generateText({ model: wrapped, prompt: PARAPHRASE });
      expect(model.doGenerateCalls).toHaveLength(2);
      expect(dejaMetadataOf(again.providerMetadata)).toMatchObject({ hit: 'miss', reason: 'reported-wrong' });
    });
  },
);
