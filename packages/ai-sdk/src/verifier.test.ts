// aiSdkVerifier with MockLanguageModelV4: what the model is asked, how its answer is read, and
// that anything but a clean verdict is an error, which core's verifier guard turns into
// 'different' (fail closed; the guard's own tests show that conversion).
import type { LanguageModelV4CallOptions, LanguageModelV4GenerateResult } from '@ai-sdk/provider';
import { JUDGE_INSTRUCTIONS } from '@deja/core/adapter';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { aiSdkVerifier } from './verifier.js';

const answer = (text: string): LanguageModelV4GenerateResult => ({
  content: [{ type: 'text', text }],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: {
    inputTokens: { total: 171, noCache: 171, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 6, text: 6, reasoning: 0 },
  },
  warnings: [],
});
const judge = (text: string) => new MockLanguageModelV4({ doGenerate: async () => answer(text) });
const request = {
  query: 'How do I reset my password?',
  candidate: { text: 'How can I change my password?', value: 'Open Settings > Security.' },
  similarity: 0.91,
};
const promptText = (call: LanguageModelV4CallOptions | undefined) => JSON.stringify(call?.prompt);

describe('aiSdkVerifier', () => {
  it('asks with the judging instruction, both texts, structured output and no retries', async () => {
    const model = judge('{"verdict":"same"}');
    await aiSdkVerifier(model).verify({ ...request, signal: new AbortController().signal });
    const call = model.doGenerateCalls[0];
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(promptText(call)).toContain(JSON.stringify(JUDGE_INSTRUCTIONS).slice(1, 60));
    expect(promptText(call)).toContain('How do I reset my password?');
    expect(promptText(call)).toContain('How can I change my password?');
    // The cached answer is not sent (cost: the two texts only).
    expect(promptText(call)).not.toContain('Open Settings');
    expect(call?.responseFormat).toMatchObject({ type: 'json' });
    expect(call?.temperature).toBe(0);
  });

  it('reads same and different, with the tokens spent', async () => {
    const same = await aiSdkVerifier(judge('{"verdict":"same"}')).verify({
      ...request,
      signal: new AbortController().signal,
    });
    expect(same).toEqual({ verdict: 'same', inputTokens: 171, outputTokens: 6 });
    const different = await aiSdkVerifier(judge('{"verdict":"different"}')).verify({
      ...request,
      signal: new AbortController().signal,
    });
    expect(different).toMatchObject({ verdict: 'different' });
  });

  it('a malformed answer is an error, never a verdict', async () => {
    for (const text of ['Yes, same.', 'same', '{"verdict":"probably"}', '{"verdict":', '']) {
      await expect(
        aiSdkVerifier(judge(text)).verify({ ...request, signal: new AbortController().signal }),
      ).rejects.toThrow();
    }
  });

  it('a provider error is an error (no retry), and the abort signal reaches the model', async () => {
    let signal: AbortSignal | undefined;
    const model = new MockLanguageModelV4({
      doGenerate: async (options) => {
        signal = options.abortSignal;
        throw new Error('rate limited');
      },
    });
    const controller = new AbortController();
    await expect(aiSdkVerifier(model).verify({ ...request, signal: controller.signal })).rejects.toThrow(
      'rate limited',
    );
    expect(model.doGenerateCalls).toHaveLength(1);
    controller.abort();
    expect(signal?.aborted).toBe(true);
  });

  it('names its model for pricing', () => {
    expect(aiSdkVerifier(judge('{}')).modelId).toBe('mock-provider:mock-model-id');
  });
});
