// DejaCallOptions is what `providerOptions.deja` takes: the exported type must be assignable to the
// SDK's providerOptions (Record<string, JSONObject>) as it is, and what it says must reach deja.
import type { JSONObject, SharedV4ProviderOptions } from '@ai-sdk/provider';
import { createDeja } from '@deja/core';
import { generateText, wrapLanguageModel } from 'ai';
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
});
