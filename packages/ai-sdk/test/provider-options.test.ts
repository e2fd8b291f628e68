// DejaCallOptions is what `providerOptions.deja` takes: the exported type must be assignable to the
// SDK's providerOptions (Record<string, JSONObject>) as it is, and what it says must reach deja.
import type { JSONObject, SharedV4ProviderOptions } from '@ai-sdk/provider';
import { createDeja } from '@deja/core';
import { generateText, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type DejaCallOptions, dejaMiddleware } from '../src/index.ts';

const answer = {
  content: [{ type: 'text' as const, text: 'Paris.' }],
  finishReason: { unified: 'stop' as const, raw: 'stop' },
  usage: {
    inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: 1, text: 1, reasoning: undefined },
  },
  warnings: [],
};

describe('providerOptions.deja', () => {
  it('takes the exported DejaCallOptions as it is (checked by tsc)', () => {
    expectTypeOf<DejaCallOptions>().toExtend<JSONObject>();
    expectTypeOf<{ deja: DejaCallOptions }>().toExtend<SharedV4ProviderOptions>();
    // Ids are JSON: a string or a number, not an object that JSON would not carry.
    expectTypeOf<{ tenant: { toString(): string } }>().not.toExtend<DejaCallOptions>();
  });

  it('routes a call to the tenant and user its DejaCallOptions name', async () => {
    const deja = createDeja({ mode: 'exact', statsFlushMs: 0, writeBehind: false });
    const provider = new MockLanguageModelV4({ doGenerate: async () => answer });
    const model = wrapLanguageModel({
      model: provider,
      middleware: dejaMiddleware({ deja, tenant: 'acme' }),
    });
    const globex: DejaCallOptions = { tenant: 'globex', user: 7, ttlMs: 60_000 };
    await generateText({ model, prompt: 'Capital of France?', providerOptions: { deja: globex } });
    await generateText({ model, prompt: 'Capital of France?', providerOptions: { deja: globex } });
    // Another user of globex and the middleware's tenant (acme) never see that entry.
    await generateText({
      model,
      prompt: 'Capital of France?',
      providerOptions: { deja: { ...globex, user: 8 } },
    });
    await generateText({ model, prompt: 'Capital of France?' });
    expect(provider.doGenerateCalls).toHaveLength(3);
    expect(deja.stats().byTenant.globex).toMatchObject({ exactHits: 1, misses: 2 });
    expect(deja.stats().byTenant.acme).toMatchObject({ exactHits: 0, misses: 1 });
    await deja.close();
  });

  it("tags an answer with the call's tags: invalidating one drops it, for generate and stream alike", async () => {
    const deja = createDeja({ mode: 'exact', statsFlushMs: 0, writeBehind: false });
    const provider = new MockLanguageModelV4({
      doGenerate: async () => answer,
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            { type: 'text-start' as const, id: 't' },
            { type: 'text-delta' as const, id: 't', delta: 'Paris.' },
            { type: 'text-end' as const, id: 't' },
            { type: 'finish' as const, finishReason: answer.finishReason, usage: answer.usage },
          ],
        }),
      }),
    });
    const model = wrapLanguageModel({
      model: provider,
      middleware: dejaMiddleware({ deja, tenant: 'acme' }),
    });
    const tagged: DejaCallOptions = { tags: ['doc:42'] };
    const ask = () =>
      generateText({ model, prompt: 'Capital of France?', providerOptions: { deja: tagged } });
    const streamed = async () => {
      const result = streamText({ model, prompt: 'Capital of France?', providerOptions: { deja: tagged } });
      await result.consumeStream();
    };
    await ask();
    await ask();
    await streamed();
    await streamed();
    expect([provider.doGenerateCalls.length, provider.doStreamCalls.length]).toEqual([1, 1]);

    expect(await deja.tenant('acme').invalidateTag('doc:42')).toEqual({ deleted: 2, complete: true });
    await ask();
    await streamed();
    expect([provider.doGenerateCalls.length, provider.doStreamCalls.length]).toEqual([2, 2]);
    // Unusable tags are the caller's mistake: refused before the model is asked.
    await expect(
      generateText({ model, prompt: 'Another question', providerOptions: { deja: { tags: [''] } } }),
    ).rejects.toThrow(/tag/i);
    expect(provider.doGenerateCalls).toHaveLength(2);
    await deja.close();
  });
});
