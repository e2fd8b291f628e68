// streamText through dejaMiddleware on the memory store, Redis Stack and plain Redis: recorded
// streams replay, unclean ones are never stored, concurrent identical streams share one model call.
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { createDeja, type Deja } from '@deja/core';
import { fixedEmbedder } from '@deja/core/testing';
import { type LanguageModel, simulateReadableStream } from 'ai';
import type { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import { dejaHitOf, dejaMetadataOf, dejaMiddleware } from '../src/index.ts';
import { textModel, textStreamParts, usage } from './fixtures.ts';
import { majorsTimes } from './majors.ts';

const QUESTION = 'Write a haiku about caching';
const PARAPHRASE = 'Compose a haiku on the subject of caching';

describe.each(majorsTimes(STORE_KINDS))('streamText through dejaMiddleware, %s, on %s', (_, kind, major) => {
  const { streamText, wrapLanguageModel, MockLanguageModel } = major;
  let testStore: TestStore;
  let deja: Deja;
  let tenantCounter = 0;
  const nextTenant = () => `stream-tenant-${kind}-${++tenantCounter}`;
  const cached = (model: MockLanguageModelV4, tenant = nextTenant()): LanguageModel =>
    wrapLanguageModel({ model, middleware: dejaMiddleware({ deja, tenant }) });

  beforeAll(() => {
    testStore = makeTestStore(kind);
    const embedder = fixedEmbedder({
      [QUESTION]: [1, 0, 0, 0, 0, 0, 0, 0],
      [PARAPHRASE]: [0.99, 0.1, 0, 0, 0, 0, 0, 0],
    });
    deja = createDeja({ ...testStore.dejaOptions, embedder, minSimilarity: 0.95, statsFlushMs: 0 });
  });
  afterAll(async () => {
    await deja.close();
    await testStore.cleanup();
  });

  it('replays a repeated streamText from the cache, every part as recorded', async () => {
    const model = textModel({ major, chunkDelayMs: 2 });
    const wrapped = cached(model);

    const first = streamText({ model: wrapped, prompt: QUESTION });
    const firstParts = await collect(first.fullStream);
    const second = streamText({ model: wrapped, prompt: QUESTION });
    const secondParts = await collect(second.fullStream);

    expect(model.doStreamCalls).toHaveLength(1);
    expect(await second.text).toBe(await first.text);
    expect(await first.text).toBe(`Answer to: ${QUESTION}`);
    expect(await second.finishReason).toBe('stop');
    expect(dejaHitOf(await first.providerMetadata)).toBeUndefined();
    expect(dejaMetadataOf(await first.providerMetadata)).toEqual({ hit: 'miss', reason: 'no-entry' });
    const hit = dejaHitOf(await second.providerMetadata);
    expect(hit).toMatchObject({ hit: 'exact', similarity: 1 });
    expect(hit?.originalUsage).toEqual(usage());
    expect((await second.usage).inputTokens).toBe(0);
    expect((await first.usage).inputTokens).toBe(12);
    // Same deltas in the same order; only the finish step's usage and metadata differ.
    expect(deltas(secondParts)).toEqual(deltas(firstParts));
    expect(deltas(firstParts).length).toBeGreaterThan(3);
    expect((await second.response).timestamp).toBeInstanceOf(Date);
    expect((await second.response).timestamp.toISOString()).toBe(
      (await first.response).timestamp.toISOString(),
    );
  });

  it('answers a paraphrased stream semantically, with a reference to report it wrong by', async () => {
    const model = textModel({ major, answer: () => 'Keys kept warm in RAM' });
    const tenant = nextTenant();
    const wrapped = cached(model, tenant);
    await streamText({ model: wrapped, prompt: QUESTION }).consumeStream();
    const paraphrased = streamText({ model: wrapped, prompt: PARAPHRASE });
    expect(await paraphrased.text).toBe('Keys kept warm in RAM');
    expect(model.doStreamCalls).toHaveLength(1);
    const hit = dejaHitOf(await paraphrased.providerMetadata);
    expect(hit).toMatchObject({ hit: 'semantic', verified: false, reference: expect.any(String) });

    // Reported wrong: that entry no longer answers the paraphrase, and the stream says why it missed.
    await deja.tenant(tenant).responses.reportWrongHit(hit?.reference as string);
    const again = streamText({ model: wrapped, prompt: PARAPHRASE });
    await again.consumeStream();
    expect(model.doStreamCalls).toHaveLength(2);
    expect(dejaMetadataOf(await again.providerMetadata)).toMatchObject({
      hit: 'miss',
      reason: 'reported-wrong',
    });
  });

  it('says why a stream missed: below the threshold with the best similarity, mode off, refresh', async () => {
    const model = textModel({ major });
    const tenant = nextTenant();
    const wrapped = cached(model, tenant);
    const ask = async (prompt: string, callOptions: Record<string, string | number | boolean>) => {
      const result = streamText({ model: wrapped, prompt, providerOptions: { deja: callOptions } });
      await result.consumeStream();
      return dejaMetadataOf(await result.providerMetadata);
    };
    await ask(QUESTION, {});
    const below = await ask(PARAPHRASE, { minSimilarity: 0.999 });
    expect(below).toEqual({ hit: 'miss', reason: 'below-threshold', similarity: expect.any(Number) });
    expect(below?.similarity).toBeCloseTo(0.99 / Math.hypot(0.99, 0.1), 4);
    expect(await ask(QUESTION, { mode: 'off' })).toEqual({ hit: 'miss', reason: 'mode-off' });
    expect(await ask(QUESTION, { refresh: true })).toEqual({ hit: 'miss', reason: 'refresh' });
    expect(model.doStreamCalls).toHaveLength(4);
  });

  it('does not store a stream the consumer aborted, and cancels the model stream', async () => {
    const model = textModel({
      major,
      chunkDelayMs: 15,
      answer: () => 'one two three four five six seven eight nine ten',
    });
    const wrapped = cached(model);
    const abort = new AbortController();
    const aborted = streamText({ model: wrapped, prompt: QUESTION, abortSignal: abort.signal });
    for await (const delta of aborted.textStream) {
      if (delta.length > 0) break;
    }
    abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(model.doStreamCalls[0]?.abortSignal?.aborted).toBe(true);

    const again = streamText({ model: wrapped, prompt: QUESTION });
    expect(await again.text).toBe('one two three four five six seven eight nine ten');
    expect(model.doStreamCalls).toHaveLength(2);
    expect(dejaHitOf(await again.providerMetadata)).toBeUndefined();
  });

  it('does not store a stream with an error part, an error finish or a stream that fails', async () => {
    const variants: Record<string, LanguageModelV4StreamPart[] | 'throws'> = {
      // A finish after an error part still leaves the answer suspect. (A plain-data error, as
      // providers pass on an API's error body: an Error instance would not even be storable.)
      'error part': textStreamParts('partial answer').flatMap((part): LanguageModelV4StreamPart[] =>
        part.type === 'finish' ? [{ type: 'error', error: { type: 'overloaded_error' } }, part] : [part],
      ),
      'error finish': textStreamParts('partial answer', {
        finishReason: { unified: 'error', raw: 'server_error' },
      }),
      'stream fails': 'throws',
    };
    for (const [name, variant] of Object.entries(variants)) {
      const model = new MockLanguageModel({
        doStream: async () => ({
          stream:
            variant === 'throws'
              ? failingStream(textStreamParts('partial answer').slice(0, 4), new Error('connection reset'))
              : simulateReadableStream({ chunks: variant, initialDelayInMs: null, chunkDelayInMs: null }),
        }),
      });
      const wrapped = cached(model);
      for (let round = 0; round < 2; round++) {
        const result = streamText({
          model: wrapped,
          prompt: `${QUESTION} (${name})`,
          onError: () => undefined,
        });
        await result.consumeStream({ onError: () => undefined });
      }
      expect(model.doStreamCalls, name).toHaveLength(2);
    }
  });

  it('lets concurrent identical streams share one model call; one consumer aborting leaves the others whole', async () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta';
    const model = textModel({ major, delayMs: 20, chunkDelayMs: 10, answer: () => text });
    const tenant = nextTenant();
    const wrapped = cached(model, tenant);
    const quitter = new AbortController();

    const leader = streamText({ model: wrapped, prompt: QUESTION });
    const leaving = streamText({ model: wrapped, prompt: QUESTION, abortSignal: quitter.signal });
    const follower = streamText({ model: wrapped, prompt: QUESTION });
    setTimeout(() => quitter.abort(), 40);

    const [leaderText, followerText] = await Promise.all([leader.text, follower.text]);
    await leaving.consumeStream({ onError: () => undefined });
    expect(model.doStreamCalls).toHaveLength(1);
    expect(leaderText).toBe(text);
    expect(followerText).toBe(text);
    expect(dejaHitOf(await leader.providerMetadata)).toBeUndefined();
    expect(dejaHitOf(await follower.providerMetadata)?.hit).toBe('shared');
    expect((await follower.usage).inputTokens).toBe(0);

    // The shared stream finished cleanly, so it was stored: a later call is an exact hit.
    const later = streamText({ model: wrapped, prompt: QUESTION });
    expect(await later.text).toBe(text);
    expect(dejaHitOf(await later.providerMetadata)?.hit).toBe('exact');
    expect(model.doStreamCalls).toHaveLength(1);
  });
});

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const parts: T[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function deltas(parts: { type: string }[]): string[] {
  return parts.flatMap((part) =>
    part.type === 'text-delta' ? [(part as unknown as { text: string }).text] : [],
  );
}

function failingStream(
  parts: LanguageModelV4StreamPart[],
  error: Error,
): ReadableStream<LanguageModelV4StreamPart> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      const part = parts[index++];
      if (part) controller.enqueue(part);
      else controller.error(error);
    },
  });
}
