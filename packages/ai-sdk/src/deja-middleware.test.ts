// dejaMiddleware on the in-process memory store: per-call options, typed errors, pacing, stale
// entries and ai@6-era (V3) models. Behaviour on Redis is covered in test/*.int.test.ts.
import type {
  LanguageModelV3GenerateResult,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
} from '@ai-sdk/provider';
import { createDeja, DejaConfigError, DejaInputError } from '@deja/core';
import { generateText, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import { convertReadableStreamToArray, MockLanguageModelV3, MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it, vi } from 'vitest';
import { dejaMiddleware } from './deja-middleware.js';
import { dejaHitOf } from './hit-metadata.js';
import { requestFor } from './request-key.js';

const result = (text: string): LanguageModelV4GenerateResult => ({
  content: [{ type: 'text', text }],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: {
    inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 5, text: 5, reasoning: 0 },
  },
  warnings: [],
});

const echo = () => new MockLanguageModelV4({ doGenerate: async () => result('echo') });

describe('dejaMiddleware', () => {
  const deja = createDeja({ statsFlushMs: 0 });

  it('takes providerOptions.deja out before the provider sees the call, keeping the other provider options', async () => {
    const model = echo();
    const wrapped = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja }) });
    await generateText({
      model: wrapped,
      prompt: 'strip me',
      providerOptions: { deja: { tenant: 'acme', ttlMs: 30_000 }, openai: { store: false } },
    });
    await generateText({
      model: wrapped,
      prompt: 'strip me too',
      providerOptions: { deja: { tenant: 'acme' } },
    });

    expect(model.doGenerateCalls).toHaveLength(2);
    expect(model.doGenerateCalls[0]?.providerOptions).toEqual({ openai: { store: false } });
    expect(model.doGenerateCalls[1]).not.toHaveProperty('providerOptions');
    expect(JSON.stringify(model.doGenerateCalls)).not.toContain('"deja"');
  });

  it('refuses bad per-call options and a missing tenant with a DejaInputError, before calling the model', async () => {
    const model = echo();
    const wrapped = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja }) });
    await expect(generateText({ model: wrapped, prompt: 'no tenant' })).rejects.toThrow(DejaInputError);
    await expect(
      generateText({
        model: wrapped,
        prompt: 'bad',
        providerOptions: { deja: { tenant: 'acme', minSimilarity: 3 } },
      }),
    ).rejects.toThrow(/minSimilarity/);
    await expect(
      generateText({
        model: wrapped,
        prompt: 'bad',
        providerOptions: { deja: { tenant: 'acme', mode: 'maybe' } },
      }),
    ).rejects.toBeInstanceOf(DejaInputError);
    // streamText reports errors through onError (its text then rejects with NoOutputGeneratedError).
    const errors: unknown[] = [];
    const stream = streamText({
      model: wrapped,
      prompt: 'bad',
      providerOptions: { deja: { tenant: 'acme', ttlMs: 0 } },
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    await stream.consumeStream();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DejaInputError);
    expect(model.doGenerateCalls).toHaveLength(0);
    expect(model.doStreamCalls).toHaveLength(0);
  });

  it('refuses bad middleware options with a DejaConfigError', () => {
    expect(() => dejaMiddleware({ deja, ttlMs: -1 })).toThrow(DejaConfigError);
    expect(() => dejaMiddleware({ deja: undefined as never })).toThrow(DejaConfigError);
  });

  it('paces a replayed stream when replayDelayMs is set', async () => {
    const model = new MockLanguageModelV4({
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            { type: 'text-start', id: 't' },
            { type: 'text-delta', id: 't', delta: 'slow' },
            { type: 'text-end', id: 't' },
            { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: result('').usage },
          ],
          initialDelayInMs: null,
          chunkDelayInMs: null,
        }),
      }),
    });
    const wrapped = wrapLanguageModel({
      model,
      middleware: dejaMiddleware({ deja, tenant: 'pace', replayDelayMs: 25 }),
    });
    const params: LanguageModelV4CallOptions = {
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'pace' }] }],
    };
    await convertReadableStreamToArray((await wrapped.doStream(params)).stream);

    const replayed = (await wrapped.doStream(params)).stream.getReader();
    expect(model.doStreamCalls).toHaveLength(1);
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      expect((await replayed.read()).value).toMatchObject({ type: 'text-start' });
      let second: unknown;
      void replayed.read().then(({ value }) => {
        second = value;
      });
      await vi.advanceTimersByTimeAsync(20);
      expect(second).toBeUndefined();
      await vi.advanceTimersByTimeAsync(10);
      expect(second).toMatchObject({ type: 'text-delta', delta: 'slow' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers afresh and overwrites an entry it cannot replay', async () => {
    const model = echo();
    const wrapped = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja, tenant: 'stale' }) });
    const params: LanguageModelV4CallOptions = {
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'stale' }] }],
    };
    const stale = await deja
      .tenant('stale')
      .responses.store(requestFor('generate', model, params), { text: 'old layout' });
    expect(stale.stored).toBe(true);

    const fresh = await wrapped.doGenerate(params);
    const replayed = await wrapped.doGenerate(params);
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(fresh.content).toEqual([{ type: 'text', text: 'echo' }]);
    expect(replayed.content).toEqual([{ type: 'text', text: 'echo' }]);
    expect(dejaHitOf(replayed.providerMetadata)?.hit).toBe('exact');
  });

  it('caches an ai@6-era LanguageModelV3, which wrapLanguageModel adapts', async () => {
    // The V3 result shape of a plain text answer is the same as V4's.
    const model = new MockLanguageModelV3({
      doGenerate: async () => result('from v3') as LanguageModelV3GenerateResult,
    });
    const wrapped = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja, tenant: 'v3' }) });
    const first = await generateText({ model: wrapped, prompt: 'old provider' });
    const second = await generateText({ model: wrapped, prompt: 'old provider' });
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(second.text).toBe(first.text);
    expect(dejaHitOf(second.providerMetadata)?.hit).toBe('exact');
  });
});
