// Redis stopped mid-test: LangChain calls keep their answers (the model answers again), embeddings
// keep their vectors, nothing throws; caching resumes once Redis is back.
import { createDeja, type Deja, type DejaErrorEvent } from '@deja/core';
import { fixedEmbedder } from '@deja/core/testing';
import { HumanMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningRedis, startRedisServer } from '../../../test/harness/redis-server.ts';
import { DejaCache, DejaEmbeddings, dejaMetadataOf, withDeja } from '../src/index.js';
import { CountingChatModel, CountingEmbeddings } from './fakes.ts';

const QUESTION = 'What is the capital of France?';
const PARAPHRASE = 'Tell me the French capital';
const embedder = fixedEmbedder({ [QUESTION]: [1, 0, 0, 0], [PARAPHRASE]: [0.98, 0.2, 0, 0] });

describe('a Redis outage under LangChain', () => {
  let server: RunningRedis;
  let deja: Deja;
  const errors: DejaErrorEvent[] = [];

  beforeAll(async () => {
    server = await startRedisServer({ kind: 'stack' });
    deja = createDeja({
      redis: { url: server.url, prefix: 'outage:', indexName: 'outage-idx' },
      embedder,
      minSimilarity: 0.9,
      // The static rule: this test expects the paraphrase served from a cold cache, which the
      // error bound (the default) does not do without evidence.
      maxErrorRate: false,
      // Generous, so the healthy phase never times out on a busy machine; the frozen test waits it.
      timeoutMs: 1_000,
      breaker: { failureThreshold: 2, cooldownMs: 200 },
      onError: (event) => errors.push(event),
    });
    await deja.ready();
  });
  afterAll(async () => {
    await deja.close();
    await server.stop();
  });

  it('only costs speed: answers and vectors stay right, nothing throws', async () => {
    const model = new CountingChatModel({
      responses: ['Paris'],
      cache: new DejaCache({ deja, tenant: 'outage' }),
    });
    const inner = new CountingEmbeddings('outage-model');
    const embeddings = new DejaEmbeddings({ deja, embeddings: inner, dimensions: 8 });
    const ask = (text: string) => model.invoke([new HumanMessage(text)]);

    await ask(QUESTION);
    expect((await ask(PARAPHRASE)).content).toBe('Paris');
    const vectors = await embeddings.embedDocuments(['alpha', 'bravo']);
    const query = await embeddings.embedQuery('where');
    await embeddings.embedDocuments(['alpha', 'bravo']);
    expect([model.calls, inner.documentBatches.length, inner.queries.length]).toEqual([1, 1, 1]);
    const chat = new CountingChatModel({ responses: ['Lyon'] });
    const wrapped = withDeja(chat, { deja, tenant: 'outage-wrapped' });
    await wrapped.invoke([new HumanMessage(QUESTION)]);
    // A hit (exact, or semantic at similarity 1 when the write behind lands between the exact probe
    // and the vector search): either way the model is not asked again.
    expect(dejaMetadataOf(await wrapped.invoke([new HumanMessage(QUESTION)]))?.hit).not.toBe('miss');
    expect(chat.calls).toBe(1);
    expect(errors).toEqual([]);

    const { port } = server;
    await server.stop(true);

    // withDeja answers from the model and says why it missed: Redis refused, or the breaker is open.
    const outage = ['store-unavailable', 'breaker-open'];
    const invoked = await wrapped.invoke([new HumanMessage(QUESTION)]);
    expect(invoked.content).toBe('Lyon');
    const missReason = (metadata: ReturnType<typeof dejaMetadataOf>) =>
      metadata?.hit === 'miss' ? metadata.reason : undefined;
    expect(outage).toContain(missReason(dejaMetadataOf(invoked)));
    let streamedText = '';
    let streamedMiss: unknown;
    for await (const chunk of await wrapped.stream([new HumanMessage(QUESTION)])) {
      streamedText += chunk.content;
      streamedMiss ??= missReason(dejaMetadataOf(chunk));
    }
    expect(streamedText).toBe('Lyon');
    expect(outage).toContain(streamedMiss);
    expect([chat.calls, chat.streams]).toEqual([2, 1]);

    expect((await ask(QUESTION)).content).toBe('Paris');
    expect((await ask(PARAPHRASE)).content).toBe('Paris');
    expect(model.calls).toBe(3);
    expect(await embeddings.embedDocuments(['alpha', 'bravo'])).toEqual(vectors);
    expect(await embeddings.embedQuery('where')).toEqual(query);
    // The vectors come from this process's copy of them (localEmbeddings), Redis or not: the
    // embeddings model is not asked again.
    expect([inner.documentBatches.length, inner.queries.length]).toEqual([1, 1]);
    const kinds = new Set(errors.map((event) => event.kind));
    expect([...kinds].every((kind) => ['store', 'timeout', 'circuit-open'].includes(kind))).toBe(true);
    expect(kinds.has('circuit-open')).toBe(true);

    // Back on the same port (empty): once the breaker lets a probe through, exact caching resumes.
    server = await startRedisServer({ kind: 'stack', port });
    let attempt = 0;
    await vi.waitFor(
      async () => {
        const before = model.calls;
        const prompt = `Is Redis back? (${++attempt})`;
        await ask(prompt);
        await ask(prompt);
        expect(model.calls).toBe(before + 1);
      },
      { timeout: 10_000, interval: 250 },
    );
  });

  it('only costs a deadline per call when Redis hangs (SIGSTOP)', async () => {
    const model = new CountingChatModel({
      responses: ['Paris'],
      cache: new DejaCache({ deja, tenant: 'frozen' }),
    });
    const inner = new CountingEmbeddings('frozen-model');
    const embeddings = new DejaEmbeddings({ deja, embeddings: inner, dimensions: 8 });
    const failuresBefore = errors.length;
    server.freeze();
    try {
      expect((await model.invoke([new HumanMessage(QUESTION)])).content).toBe('Paris');
      expect((await model.invoke([new HumanMessage(QUESTION)])).content).toBe('Paris');
      expect(await embeddings.embedDocuments(['charlie'])).toHaveLength(1);
      expect(model.calls).toBe(2);
      expect(inner.documentTexts).toEqual(['charlie']);
      expect(errors.slice(failuresBefore).some((event) => event.kind === 'timeout')).toBe(true);
    } finally {
      server.thaw();
    }
  });
});
