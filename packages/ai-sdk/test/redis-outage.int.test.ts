// Redis going away mid-run changes nothing for the caller but speed: generateText, streamText and
// embedMany answer from the model, nothing is thrown, the trouble is reported through onError.
import { createDeja, type Deja, type DejaErrorEvent, redisStore } from '@deja/core';
import { embedMany, generateText, streamText, wrapLanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedisServer } from '../../../test/harness/redis-server.ts';
import { cachedEmbeddingModel, dejaHitOf, dejaMetadataOf, dejaMiddleware } from '../src/index.ts';
import { asFloat32, embeddingModel, textModel, vectorOf } from './fixtures.ts';

describe.each(['stack', 'plain'] as const)('Redis (%s) stopped mid-test', (serverKind) => {
  let server: RunningRedis;
  let deja: Deja;
  const errors: DejaErrorEvent[] = [];

  beforeAll(async () => {
    server = await startRedisServer({ kind: serverKind });
    deja = createDeja({
      store: redisStore({
        url: server.url,
        prefix: `outage-${serverKind}:`,
        indexName: `outage-${serverKind}`,
      }),
      // Generous: Redis is stopped (refused at once), never slow; a busy machine must not turn a
      // healthy call into a timeout before that.
      timeoutMs: 2_000,
      onError: (event) => errors.push(event),
      statsFlushMs: 0,
    });
  });
  afterAll(async () => {
    await deja.close();
    await server.stop(true);
  });

  it('keeps answering from the model, throwing nothing', async () => {
    const model = textModel({ answer: () => 'still here' });
    const wrapped = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja, tenant: 'acme' }) });
    const embeddings = embeddingModel({ maxEmbeddingsPerCall: 2 });
    const cachedEmbeddings = cachedEmbeddingModel(embeddings, { deja, dimensions: 8 });

    // Warm: a miss, then hits, while Redis is up.
    await generateText({ model: wrapped, prompt: 'ping' });
    expect(dejaHitOf((await generateText({ model: wrapped, prompt: 'ping' })).providerMetadata)?.hit).toBe(
      'exact',
    );
    await streamText({ model: wrapped, prompt: 'ping' }).consumeStream();
    expect(dejaHitOf(await streamText({ model: wrapped, prompt: 'ping' }).providerMetadata)?.hit).toBe(
      'exact',
    );
    await embedMany({ model: cachedEmbeddings, values: ['a', 'b'] });
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(model.doStreamCalls).toHaveLength(1);
    expect(embeddings.doEmbedCalls).toHaveLength(1);
    expect(errors).toEqual([]);

    await server.stop(true);

    const generated = await generateText({ model: wrapped, prompt: 'ping' });
    expect(generated.text).toBe('still here');
    // Why: Redis refused (or, once enough calls failed, the breaker is open), never "no entry".
    const outage = ['store-unavailable', 'breaker-open'];
    expect(outage).toContain(missReason(generated.providerMetadata));
    const streamed = streamText({ model: wrapped, prompt: 'ping' });
    expect(await streamed.text).toBe('still here');
    expect(outage).toContain(missReason(await streamed.providerMetadata));
    const vectors = await embedMany({ model: cachedEmbeddings, values: ['a', 'b', 'c'] });
    expect(vectors.embeddings).toEqual(['a', 'b', 'c'].map((value) => asFloat32(vectorOf(value))));

    expect(model.doGenerateCalls).toHaveLength(2);
    expect(model.doStreamCalls).toHaveLength(2);
    // 'a' and 'b' come from this process's copy of their vectors (localEmbeddings), Redis or not:
    // only 'c' reaches the model.
    expect(embeddings.doEmbedCalls.map((call) => call.values)).toEqual([['a', 'b'], ['c']]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((event) => ['store', 'timeout', 'circuit-open'].includes(event.kind))).toBe(true);
  });
});

function missReason(providerMetadata: Parameters<typeof dejaMetadataOf>[0]): string | undefined {
  const deja = dejaMetadataOf(providerMetadata);
  return deja?.hit === 'miss' ? deja.reason : undefined;
}
