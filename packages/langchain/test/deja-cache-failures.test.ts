// DejaCache when something other than Redis goes wrong: a failing embedder, an entry it did not write.
import { createDeja, type DejaErrorEvent, DejaStoreError, type Embedder, memoryStore } from '@deja/core';
import { getBufferString, HumanMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { requestOf } from '../src/deja-cache.js';
import { DejaCache } from '../src/index.js';
import { CountingChatModel } from './fakes.ts';

const failingEmbedder: Embedder = {
  modelId: 'failing',
  dimensions: 4,
  async embed() {
    throw new Error('embedding service unavailable');
  },
};

describe('DejaCache failures', () => {
  it('keeps exact caching when the embedder fails, and reports it', async () => {
    const errors: DejaErrorEvent[] = [];
    const deja = createDeja({ embedder: failingEmbedder, onError: (event) => errors.push(event) });
    const model = new CountingChatModel({
      responses: ['Paris'],
      cache: new DejaCache({ deja, tenant: 't' }),
    });
    expect((await model.invoke('What is the capital of France?')).content).toBe('Paris');
    expect((await model.invoke('What is the capital of France?')).content).toBe('Paris');
    expect(model.calls).toBe(1);
    expect(errors.map((event) => event.kind)).toContain('embedder');
    await deja.close();
  });

  it('treats an entry holding no LangChain generations as a miss, reports it and replaces it', async () => {
    const errors: DejaErrorEvent[] = [];
    const deja = createDeja({ onError: (event) => errors.push(event) });
    const model = new CountingChatModel({
      responses: ['Paris'],
      cache: new DejaCache({ deja, tenant: 't' }),
    });
    const messages = [new HumanMessage('What is the capital of France?')];
    const described = requestOf(getBufferString(messages), model._getSerializedCacheKeyParametersForCall({}));
    if (!described) throw new Error('a plain text prompt is cacheable');
    await deja.tenant('t').responses.store(described.request, { generations: 'not a list' });

    expect((await model.invoke(messages)).content).toBe('Paris');
    expect(model.calls).toBe(1);
    expect(errors.map((event) => event.kind)).toEqual(['corrupt-entry']);
    expect((await model.invoke(messages)).content).toBe('Paris');
    expect(model.calls).toBe(1);
    await deja.close();
  });

  it('lets store trouble through when the deja is strict (the user asked for it)', async () => {
    const store = memoryStore();
    const deja = createDeja({
      strict: true,
      store: { ...store, init: () => Promise.reject(new Error('store down')) },
    });
    const model = new CountingChatModel({
      responses: ['Paris'],
      cache: new DejaCache({ deja, tenant: 't' }),
    });
    await expect(model.invoke('hi')).rejects.toBeInstanceOf(DejaStoreError);
    expect(model.calls).toBe(0);
    await deja.close();
  });
});
