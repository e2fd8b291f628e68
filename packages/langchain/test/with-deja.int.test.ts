// withDeja(model) on the memory store, Redis Stack and plain Redis, with LangChain's fake chat
// model (FakeListChatModel: it streams its answer one character per chunk): invoke and stream
// cached alike, faithful chunk replay, stored only on a clean finish, hit and miss in
// response_metadata.deja and in the `deja` callback event.
import { fixedEmbedder } from '@deja/core/testing';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { type AIMessageChunk, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { describeEachStore, useDeja } from '../../../test/support/deja-fixture.ts';
import { type DejaChatMetadata, dejaMetadataOf, withDeja } from '../src/index.js';
import { CountingChatModel, ScriptedChatModel } from './fakes.ts';

const QUESTION = 'What is the capital of France?';
const PARAPHRASE = 'Tell me the French capital';
const embedder = fixedEmbedder({ [QUESTION]: [1, 0, 0, 0], [PARAPHRASE]: [0.98, 0.2, 0, 0] });
const TOOL_REPLY = {
  id: 'msg-7',
  content: [{ type: 'text' as const, text: 'Let me look that up.' }],
  tool_calls: [
    { id: 'call_1', name: 'search', args: { query: 'capital', limit: 3 }, type: 'tool_call' as const },
  ],
  additional_kwargs: { refusal: null, provider: { seed: 7 } },
  usage_metadata: { input_tokens: 12, output_tokens: 7, total_tokens: 19 },
  response_metadata: { model_name: 'fake-gpt', finish_reason: 'tool_calls' },
};
const ask = (text: string) => [new SystemMessage('Answer in one word.'), new HumanMessage(text)];

/** Records the `deja` custom events a run sends. */
class DejaEvents extends BaseCallbackHandler {
  name = 'deja-events';
  readonly seen: DejaChatMetadata[] = [];
  override handleCustomEvent(eventName: string, data: DejaChatMetadata): void {
    if (eventName === 'deja') this.seen.push(data);
  }
}

async function streamed(stream: AsyncIterable<AIMessageChunk>) {
  const chunks: AIMessageChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { chunks, joined: chunks.reduce((all, chunk) => all.concat(chunk)) };
}

describeEachStore('withDeja', (kind) => {
  const fixture = useDeja(kind, { embedder, minSimilarity: 0.9, statsFlushMs: 0 });
  let counter = 0;
  const nextTenant = () => `with-deja-${kind}-${++counter}`;
  const fake = (responses = ['Paris', 'Lyon', 'Nice', 'Lille']) => new CountingChatModel({ responses });

  it('answers a repeated invoke from the cache, marked in response_metadata.deja with zero usage', async () => {
    const model = fake();
    const cached = withDeja(model, { deja: fixture.deja, tenant: nextTenant() });
    const first = await cached.invoke(ask(QUESTION));
    const second = await cached.invoke(ask(QUESTION));

    expect(model.calls).toBe(1);
    expect(first.content).toBe('Paris');
    expect(second.content).toBe('Paris');
    expect(dejaMetadataOf(first)).toEqual({ hit: 'miss', reason: 'no-entry' });
    expect(dejaMetadataOf(second)).toMatchObject({ hit: 'exact', similarity: 1, ageMs: expect.any(Number) });
  });

  it("tags an answer with the call option's tags: invalidating one drops it (invoke and stream)", async () => {
    const model = fake();
    const tenant = nextTenant();
    const cached = withDeja(model, { deja: fixture.deja, tenant });
    const tagged = { deja: { tags: ['doc:42'] } };
    await cached.invoke(ask(QUESTION), tagged);
    await cached.invoke(ask(QUESTION), tagged);
    // Another question (not a paraphrase), so the stream has an entry of its own.
    await streamed(await cached.stream(ask('How do I bake bread?'), tagged));
    await streamed(await cached.stream(ask('How do I bake bread?'), tagged));
    expect([model.calls, model.streams]).toEqual([1, 1]);

    expect(await fixture.deja.tenant(tenant).invalidateTag('doc:42')).toEqual({ deleted: 2, complete: true });
    await cached.invoke(ask(QUESTION), tagged);
    await streamed(await cached.stream(ask('How do I bake bread?'), tagged));
    expect([model.calls, model.streams]).toEqual([2, 2]);
    await expect(cached.invoke(ask('Another question'), { deja: { tags: [''] } })).rejects.toThrow(/tag/i);
    expect(model.calls).toBe(2);
  });

  it('replays an invoked answer faithfully: content blocks, tool calls, kwargs, metadata; zero usage, no id', async () => {
    const model = new ScriptedChatModel(TOOL_REPLY);
    const cached = withDeja(model, { deja: fixture.deja, tenant: nextTenant() });
    const first = await cached.invoke(ask(QUESTION));
    const second = await cached.invoke(ask(QUESTION));

    expect(model.calls).toBe(1);
    expect(first.id).toBe('msg-7');
    // A replay is a new message: LangGraph replaces a message whose id it already holds.
    expect(second.id).not.toBe('msg-7');
    expect(second.content).toEqual(TOOL_REPLY.content);
    expect(second.tool_calls).toEqual(TOOL_REPLY.tool_calls);
    expect(second.additional_kwargs).toEqual(TOOL_REPLY.additional_kwargs);
    const { deja, ...providerMetadata } = second.response_metadata;
    expect(providerMetadata).toEqual(TOOL_REPLY.response_metadata);
    expect(deja).toMatchObject({ hit: 'exact', originalUsage: TOOL_REPLY.usage_metadata });
    expect(second.usage_metadata).toEqual({ input_tokens: 0, output_tokens: 0, total_tokens: 0 });
    expect(first.usage_metadata).toEqual(TOOL_REPLY.usage_metadata);
  });

  it('replays a stream chunk for chunk, and only the model stream that finished was stored', async () => {
    const model = fake();
    const cached = withDeja(model, { deja: fixture.deja, tenant: nextTenant() });
    const first = await streamed(await cached.stream(ask(QUESTION)));
    const second = await streamed(await cached.stream(ask(QUESTION)));

    expect(model.streams).toBe(1);
    expect(first.chunks.map((chunk) => chunk.content)).toEqual(['P', 'a', 'r', 'i', 's']);
    expect(second.chunks.map((chunk) => chunk.content)).toEqual(['P', 'a', 'r', 'i', 's']);
    expect(dejaMetadataOf(first.joined)).toEqual({ hit: 'miss', reason: 'no-entry' });
    expect(dejaMetadataOf(second.joined)).toMatchObject({ hit: 'exact', similarity: 1 });
    expect(dejaMetadataOf(second.chunks[0] as AIMessageChunk)?.hit).toBe('exact');

    // The same entry answers an invoke; an invoked answer also streams from the cache.
    const invoked = await cached.invoke(ask(QUESTION));
    expect(invoked.content).toBe('Paris');
    expect(model.calls + model.streams).toBe(1);
    await cached.invoke(ask('Another question'));
    const replayed = await streamed(await cached.stream(ask('Another question')));
    expect(replayed.joined.content).toBe('Lyon');
    expect(model.calls).toBe(1);
    expect(model.streams).toBe(1);
  });

  it('stores nothing when the consumer stops early or the model stream fails', async () => {
    const model = fake(['Paris', 'Paris', 'Paris']);
    const cached = withDeja(model, { deja: fixture.deja, tenant: nextTenant() });
    for await (const chunk of await cached.stream(ask(QUESTION))) {
      expect(chunk.content).toBe('P');
      break;
    }
    const failing = async () =>
      streamed(await cached.stream(ask(QUESTION), { thrownErrorString: 'connection reset' } as never));
    await expect(failing()).rejects.toThrow('connection reset');
    const whole = await streamed(await cached.stream(ask(QUESTION)));
    expect(whole.joined.content).toBe('Paris');
    expect(dejaMetadataOf(whole.joined)).toEqual({ hit: 'miss', reason: 'no-entry' });
    expect(model.streams).toBe(3);
  });

  it('takes tenant, user and opt-out per call, from the run config or the deja call option', async () => {
    const model = fake(['one', 'two', 'three', 'four', 'five', 'six']);
    const cached = withDeja(model, { deja: fixture.deja });
    const tenant = nextTenant();
    const viaConfig = (configurable: Record<string, string>) =>
      cached.invoke(ask(QUESTION), { configurable: { dejaTenant: tenant, ...configurable } });

    await expect(cached.invoke(ask(QUESTION))).rejects.toThrow(/No tenant for this call/);
    expect((await viaConfig({})).content).toBe('one');
    expect((await viaConfig({})).content).toBe('one');
    expect((await cached.invoke(ask(QUESTION), { deja: { tenant } })).content).toBe('one');
    expect((await viaConfig({ dejaUser: 'ada' })).content).toBe('two');
    expect((await cached.invoke(ask(QUESTION), { deja: { tenant: `${tenant}-b` } })).content).toBe('three');
    const off = await viaConfig({ dejaMode: 'off' });
    expect(off.content).toBe('four');
    expect(dejaMetadataOf(off)).toEqual({ hit: 'miss', reason: 'mode-off' });
    const skipped = await cached.invoke(ask(QUESTION), {
      configurable: { dejaTenant: tenant },
      deja: { mode: 'off' },
    });
    expect(skipped.content).toBe('five');
    await expect(viaConfig({ dejaMode: 'sometimes' })).rejects.toThrow(/Invalid deja call options/);
    expect(model.calls).toBe(5);
  });

  it('sends hits and misses through the deja callback event and streamEvents', async () => {
    const model = fake();
    const cached = withDeja(model, { deja: fixture.deja, tenant: nextTenant() });
    const events = new DejaEvents();
    await cached.invoke(ask(QUESTION), { callbacks: [events] });
    await cached.invoke(ask(QUESTION), { callbacks: [events] });
    expect(events.seen.map((event) => event.hit)).toEqual(['miss', 'exact']);

    const custom: unknown[] = [];
    for await (const event of cached.streamEvents(ask(QUESTION), { version: 'v2' })) {
      if (event.event === 'on_custom_event' && event.name === 'deja') custom.push(event.data);
    }
    expect(custom).toEqual([expect.objectContaining({ hit: 'exact' })]);
  });

  it('gives a semantic hit its reference; reportWrongHit(reference) stops that entry answering it', async () => {
    const model = fake();
    const tenant = nextTenant();
    const cached = withDeja(model, { deja: fixture.deja, tenant });
    await cached.invoke(ask(QUESTION));
    const paraphrased = await cached.invoke(ask(PARAPHRASE));
    const hit = dejaMetadataOf(paraphrased);
    expect(paraphrased.content).toBe('Paris');
    expect(hit).toMatchObject({ hit: 'semantic', verified: false, reference: expect.any(String) });

    await fixture.deja.tenant(tenant).responses.reportWrongHit((hit as { reference: string }).reference);
    const again = await streamed(await cached.stream(ask(PARAPHRASE)));
    expect(again.joined.content).toBe('Lyon');
    expect(dejaMetadataOf(again.joined)).toMatchObject({ hit: 'miss', reason: 'reported-wrong' });
  });

  it('keys tools bound through bindTools, and refuses a model that binds them otherwise', async () => {
    const model = new ToolBindingChatModel({ responses: ['a', 'b', 'c'] });
    const cached = withDeja(model, { deja: fixture.deja, tenant: nextTenant() });
    const weather = { type: 'function', function: { name: 'weather', parameters: { type: 'object' } } };
    const clock = { type: 'function', function: { name: 'clock', parameters: { type: 'object' } } };
    expect((await cached.bindTools([weather]).invoke(ask(QUESTION))).content).toBe('a');
    expect((await cached.bindTools([weather]).invoke(ask(QUESTION))).content).toBe('a');
    expect((await cached.bindTools([clock]).invoke(ask(QUESTION))).content).toBe('b');
    expect(model.calls).toBe(2);
    expect(() => withDeja(fake(), { deja: fixture.deja, tenant: 'x' }).bindTools([weather])).toThrow(
      /does not bind tools as call options/,
    );
  });
});

describe('withDeja options', () => {
  it('refuses what is not a chat model, and bad options, with a DejaConfigError', () => {
    const fixture = { deja: undefined as never };
    expect(() => withDeja({} as never, { deja: fixture.deja, tenant: 't' })).toThrow(
      /needs a LangChain chat model/,
    );
    expect(() => withDeja(new CountingChatModel({ responses: ['x'] }), { deja: {} as never })).toThrow(
      /withDeja/,
    );
  });
});

/** Binds tools as providers do: call options on a RunnableBinding over the model itself. */
class ToolBindingChatModel extends CountingChatModel {
  override bindTools(tools: unknown[]) {
    return this.withConfig({ tools } as never) as never;
  }
}
