// What LangChain routes through a cache and what it does not: each claim of the README, checked
// against the installed @langchain/core (memory store; no server needed).
import { createDeja, type Deja } from '@deja/core';
import { InMemoryCache } from '@langchain/core/caches';
import { BaseCallbackHandler, type CallbackHandlerPrefersStreaming } from '@langchain/core/callbacks/base';
import { HumanMessage } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { FakeChatModel } from '@langchain/core/utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DejaCache } from '../src/index.js';
import { CountingChatModel } from './fakes.ts';

/** A callback handler that asks LangChain for tokens as they come (LangChain's own mechanism). */
class TokenCollector extends BaseCallbackHandler implements CallbackHandlerPrefersStreaming {
  name = 'token-collector';
  readonly lc_prefer_streaming = true;
  tokens: string[] = [];

  constructor() {
    super({ _awaitHandler: true });
  }

  override handleLLMNewToken(token: string): void {
    this.tokens.push(token);
  }
}

const imageOf = (data: string) =>
  new HumanMessage({
    content: [
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } },
    ],
  });

describe('what LangChain routes through DejaCache', () => {
  let deja: Deja;
  let model: CountingChatModel;
  const lookups = () => deja.stats().exactHits + deja.stats().semanticHits + deja.stats().misses;

  beforeEach(() => {
    deja = createDeja();
    model = new CountingChatModel({
      responses: ['Paris'],
      cache: new DejaCache({ deja, tenant: 'routing' }),
    });
  });
  afterEach(() => deja.close());

  it('does not consult the cache for .stream(), .streamEvents() or a chain streamed through the model', async () => {
    const before = lookups();
    for (let i = 0; i < 2; i++) {
      for await (const _chunk of await model.stream('hi')) {
        // drain
      }
      for await (const _event of model.streamEvents('hi', { version: 'v2' })) {
        // drain
      }
      for await (const _chunk of await ChatPromptTemplate.fromTemplate('{q}')
        .pipe(model)
        .stream({ q: 'hi' })) {
        // drain
      }
    }
    expect(lookups()).toBe(before);
    expect(model.streams).toBe(6);
    expect(deja.stats().writes).toBe(0);
    // Nothing was stored by the streams: the first invoke is a miss.
    await model.invoke('hi');
    expect(deja.stats().misses).toBe(1);
  });

  it('does route .stream() of a model without a streaming implementation (LangChain falls back to invoke)', async () => {
    const echo = new FakeChatModel({ cache: new DejaCache({ deja, tenant: 'echo' }) });
    for (let i = 0; i < 2; i++) {
      for await (const _chunk of await echo.stream('hi')) {
        // drain
      }
    }
    expect(deja.stats()).toMatchObject({ misses: 1, exactHits: 1 });
  });

  it('streams tokens through a callback on a miss and stores the answer; a hit arrives as one token', async () => {
    const miss = new TokenCollector();
    expect((await model.invoke('hi', { callbacks: [miss] })).content).toBe('Paris');
    expect(miss.tokens).toEqual(['P', 'a', 'r', 'i', 's']);
    const hit = new TokenCollector();
    expect((await model.invoke('hi', { callbacks: [hit] })).content).toBe('Paris');
    expect(hit.tokens).toEqual(['Paris']);
    // The miss went through the model's streaming path, once; the hit reached no path at all.
    expect([model.calls, model.streams]).toEqual([0, 1]);
    expect(deja.stats()).toMatchObject({ misses: 1, exactHits: 1 });
  });

  it('routes invoke, batch and chains that invoke the model', async () => {
    const chain = ChatPromptTemplate.fromTemplate('{q}').pipe(model);
    await chain.invoke({ q: 'hi' });
    await model.invoke('hi');
    await model.batch(['hi', 'hi']);
    expect(model.calls).toBe(1);
  });

  it('keys on bound tools: providers bind them as call options, which enter the llmKey', async () => {
    // What bindTools does in provider packages (and in FakeListChatModel): withConfig({ tools }).
    // The fake's call-options type has no tools field, hence the cast.
    const tools = [
      { type: 'function', function: { name: 'weather', description: 'Weather of a city', parameters: {} } },
    ];
    await model.invoke('hi');
    await model.withConfig({ tools } as never).invoke('hi');
    await model.withConfig({ tools } as never).invoke('hi');
    expect(model.calls).toBe(2);
    expect(deja.stats()).toMatchObject({ misses: 2, exactHits: 1 });
  });

  it('keeps one entry whether or not a call carries an AbortSignal (LangChain’s key differs)', async () => {
    await model.invoke('hi');
    await model.invoke('hi', { signal: new AbortController().signal });
    expect(model.calls).toBe(1);

    const plain = new CountingChatModel({ responses: ['Paris'], cache: new InMemoryCache() });
    await plain.invoke('hi');
    await plain.invoke('hi', { signal: new AbortController().signal });
    expect(plain.calls).toBe(2);
  });

  it('does not cache prompts whose images LangChain flattened to "[image]"', async () => {
    await model.invoke([imageOf('AAAA')]);
    await model.invoke([imageOf('BBBB')]);
    expect(model.calls).toBe(2);
    expect(deja.stats().writes).toBe(0);

    // LangChain's own cache answers the second picture with the first one's answer.
    const plain = new CountingChatModel({ responses: ['a cat', 'a dog'], cache: new InMemoryCache() });
    await plain.invoke([imageOf('AAAA')]);
    expect((await plain.invoke([imageOf('BBBB')])).content).toBe('a cat');
    expect(plain.calls).toBe(1);
  });
});
