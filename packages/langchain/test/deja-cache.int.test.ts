// DejaCache as the `cache` of LangChain's fake models, on the memory store, Redis Stack and plain Redis.
import { createDeja, type Deja, type DejaErrorEvent } from '@deja/core';
import { countingEmbedder, fixedEmbedder } from '@deja/core/testing';
import { AIMessage, getBufferString, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { ChatGeneration } from '@langchain/core/outputs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import { DejaCache } from '../src/index.js';
import { CountingChatModel, CountingLLM, ScriptedChatModel } from './fakes.ts';

const QUESTION = 'What is the capital of France?';
const PARAPHRASE = 'Tell me the French capital';
const UNRELATED = 'How do I bake bread?';
const embedder = countingEmbedder(
  fixedEmbedder({
    [QUESTION]: [1, 0, 0, 0],
    [PARAPHRASE]: [0.98, 0.2, 0, 0],
    [UNRELATED]: [0, 0, 1, 0],
  }),
);
const SYSTEM = new SystemMessage('Answer in one word.');
const ask = (text: string, system = SYSTEM) => [system, new HumanMessage(text)];

const TOOL_REPLY = {
  id: 'msg-7',
  content: [{ type: 'text' as const, text: 'Let me look that up.' }],
  tool_calls: [
    {
      id: 'call_1',
      name: 'search',
      args: { query: 'capital of France', limit: 3 },
      type: 'tool_call' as const,
    },
  ],
  additional_kwargs: { refusal: null, provider: { seed: 7 } },
  usage_metadata: { input_tokens: 12, output_tokens: 7, total_tokens: 19 },
  response_metadata: { model_name: 'fake-gpt', finish_reason: 'tool_calls' },
};

describe.each(STORE_KINDS)('DejaCache on %s', (kind) => {
  let testStore: TestStore;
  let deja: Deja;
  const errors: DejaErrorEvent[] = [];
  const cacheFor = (tenant: string, user?: string) => new DejaCache({ deja, tenant, user });
  const tenantStats = (tenant: string) => deja.stats().byTenant[tenant];

  beforeAll(async () => {
    testStore = makeTestStore(kind);
    deja = createDeja({
      ...testStore.dejaOptions,
      embedder,
      minSimilarity: 0.9,
      onError: (event) => errors.push(event),
    });
    await deja.ready();
  });
  afterAll(async () => {
    await deja.close();
    await testStore.cleanup();
    expect(errors).toEqual([]);
  });

  it('answers a repeated prompt from the cache: one model call', async () => {
    const model = new CountingChatModel({ responses: ['Paris'], cache: cacheFor('repeat') });
    const first = await model.invoke(ask(QUESTION));
    const second = await model.invoke(ask(QUESTION));
    expect(model.calls).toBe(1);
    expect(second.content).toBe('Paris');
    expect(second.content).toBe(first.content);
    expect(tenantStats('repeat')).toMatchObject({ exactHits: 1, semanticHits: 0, misses: 1, writes: 1 });
    expect(first.response_metadata.deja).toBeUndefined();
    expect(second.response_metadata.deja).toMatchObject({ hit: 'exact', similarity: 1 });
  });

  it('answers a paraphrase under the same model settings and conversation', async () => {
    const model = new CountingChatModel({
      responses: ['Paris', 'unexpected'],
      cache: cacheFor('paraphrase'),
    });
    await model.invoke(ask(QUESTION));
    const paraphrased = await model.invoke(ask(PARAPHRASE));
    expect(model.calls).toBe(1);
    expect(paraphrased.content).toBe('Paris');
    expect(tenantStats('paraphrase')).toMatchObject({ exactHits: 0, semanticHits: 1 });
    // What a thumbs-down needs: the reference for reportWrongHit, which stops that entry answering it.
    const hit = paraphrased.response_metadata.deja as { hit: string; reference: string };
    expect(hit).toMatchObject({ hit: 'semantic', reference: expect.any(String) });
    await deja.tenant('paraphrase').responses.reportWrongHit(hit.reference);
    expect((await model.invoke(ask(PARAPHRASE))).content).toBe('unexpected');
    expect(model.calls).toBe(2);

    // Same question, unrelated meaning, or another system prompt: the model answers.
    await model.invoke(ask(UNRELATED));
    await model.invoke(ask(PARAPHRASE, new SystemMessage('Answer in French.')));
    expect(model.calls).toBe(4);
  });

  it('misses under another model or another temperature, even for the same prompt', async () => {
    const cache = cacheFor('settings');
    const base = new CountingChatModel({ responses: ['Paris'], cache });
    const otherModel = new CountingChatModel({ responses: ['Paris!'], model: 'fake-claude', cache });
    const warmer = new CountingChatModel({ responses: ['Paris?'], temperature: 0.7, cache });
    await base.invoke(ask(QUESTION));
    expect((await otherModel.invoke(ask(QUESTION))).content).toBe('Paris!');
    expect((await otherModel.invoke(ask(PARAPHRASE))).content).toBe('Paris!');
    expect((await warmer.invoke(ask(PARAPHRASE))).content).toBe('Paris?');
    expect([base.calls, otherModel.calls, warmer.calls]).toEqual([1, 1, 1]);
    // A call option (stop sequences) is part of the settings too.
    await base.invoke(ask(QUESTION), { stop: ['.'] });
    expect(base.calls).toBe(2);
  });

  it('never answers from another tenant or another user', async () => {
    const owner = new CountingChatModel({ responses: ['secret'], cache: cacheFor('owner') });
    await owner.invoke(ask(QUESTION));
    for (const [tenant, text] of [
      ['intruder-exact', QUESTION],
      ['intruder-semantic', PARAPHRASE],
    ] as const) {
      const intruder = new CountingChatModel({ responses: ['fresh'], cache: cacheFor(tenant) });
      expect((await intruder.invoke(ask(text))).content).toBe('fresh');
      expect(intruder.calls).toBe(1);
    }

    const alice = new CountingChatModel({ responses: ['for alice'], cache: cacheFor('users', 'alice') });
    const bob = new CountingChatModel({ responses: ['for bob'], cache: cacheFor('users', 'bob') });
    await alice.invoke(ask(QUESTION));
    expect((await bob.invoke(ask(QUESTION))).content).toBe('for bob');
    expect((await alice.invoke(ask(QUESTION))).content).toBe('for alice');
    expect([alice.calls, bob.calls]).toEqual([1, 1]);
  });

  it('round-trips message objects, tool calls, kwargs and usage', async () => {
    const cache = cacheFor('round-trip');
    const model = new ScriptedChatModel(TOOL_REPLY, { cache });
    const fresh = await model.invoke(ask(QUESTION));
    const cached = await model.invoke(ask(QUESTION));
    expect(model.calls).toBe(1);
    expect(cached).toBeInstanceOf(AIMessage);
    expect(cached.content).toEqual(TOOL_REPLY.content);
    expect(cached.tool_calls).toEqual(TOOL_REPLY.tool_calls);
    expect(cached.additional_kwargs).toEqual(TOOL_REPLY.additional_kwargs);
    expect(cached.id).toBe('msg-7');
    const { deja: hit, ...providerMetadata } = cached.response_metadata;
    expect(providerMetadata).toEqual(fresh.response_metadata);
    expect(hit).toMatchObject({ hit: 'exact' });
    // LangChain itself reports a cached answer as costing no tokens...
    expect(cached.usage_metadata).toEqual({ input_tokens: 0, output_tokens: 0, total_tokens: 0 });
    // ...while the cache holds the provider's usage exactly, and deja counts it as saved.
    const generations = await cache.lookup(
      getBufferString(ask(QUESTION)),
      model._getSerializedCacheKeyParametersForCall({}),
    );
    const stored = (generations?.[0] as ChatGeneration | undefined)?.message as AIMessage | undefined;
    // Exactly what was stored, beside the hit's own metadata.
    const { deja: lookedUp, ...storedMetadata } = stored?.response_metadata ?? {};
    expect(lookedUp).toMatchObject({ hit: 'exact' });
    if (stored) stored.response_metadata = storedMetadata;
    expect(stored?.toDict()).toEqual(fresh.toDict());
    expect(stored?.usage_metadata).toEqual(TOOL_REPLY.usage_metadata);
    expect(tenantStats('round-trip')?.tokensSaved).toBe(19 * 2);
  });

  it('caches each prompt of a batch, and completion models too', async () => {
    const chat = new CountingChatModel({ responses: ['one', 'two'], cache: cacheFor('batch') });
    const first = await chat.batch([ask(QUESTION), ask(UNRELATED)]);
    const again = await chat.batch([ask(UNRELATED), ask(QUESTION)]);
    expect(chat.calls).toBe(2);
    expect(again.map((message) => message.content)).toEqual([first[1]?.content, first[0]?.content]);

    const llm = new CountingLLM({ response: 'Paris', cache: cacheFor('llm') });
    expect(await llm.invoke(QUESTION)).toBe('Paris');
    expect(await llm.invoke(QUESTION)).toBe('Paris');
    expect(llm.calls).toBe(1);
  });

  it('looks up nothing and stores nothing with mode off', async () => {
    const model = new CountingChatModel({
      responses: ['Paris'],
      cache: new DejaCache({ deja, tenant: 'off', mode: 'off' }),
    });
    await model.invoke(ask(QUESTION));
    await model.invoke(ask(QUESTION));
    expect(model.calls).toBe(2);
    expect(tenantStats('off')?.writes ?? 0).toBe(0);
  });
});
