// What deja adds on top of the AI SDK: generateText answered by a deja exact hit against
// generateText on a mock model that answers at once with no cache; and time to the first text part
// of a cached streamText against the same mock streaming its answer.
import { createDeja, redisStore } from '@deja/core';
import { type BenchContext, log } from '../lib/context.ts';
import { instantModelMaker } from '../lib/instant-model.ts';
import { interleave, ratio, round, summarize } from '../lib/timing.ts';
import { RESPONSE_TEXT } from './exact-overhead.ts';

const PROMPT = 'What does a cache hit cost on top of the AI SDK?';

export async function middlewareOverhead(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection('AI SDK middleware: cached hit vs instant mock model');
  // Loaded here, not at the top: the rest of the bench runs even where @deja/ai-sdk is not built.
  const [
    { generateText, streamText, simulateReadableStream, wrapLanguageModel },
    { MockLanguageModelV4 },
    { dejaMiddleware, dejaHitOf },
  ] = await Promise.all([import('ai'), import('ai/test'), import('@deja/ai-sdk')]);

  const instantModel = instantModelMaker({ MockLanguageModelV4, simulateReadableStream });

  const deja = createDeja({
    store: redisStore({ url: context.stackUrl, prefix: 'bench:mw:', indexName: 'bench-mw-idx' }),
    statsFlushMs: 0,
  });
  const bare = instantModel();
  const behindCache = instantModel();
  const cached = wrapLanguageModel({
    model: behindCache,
    middleware: dejaMiddleware({ deja, tenant: 'bench' }),
  });
  // The same middleware on the in-process memory store: its CPU cost alone, no round trip.
  const inMemory = createDeja({ statsFlushMs: 0 });
  const cachedInMemory = wrapLanguageModel({
    model: instantModel(),
    middleware: dejaMiddleware({ deja: inMemory, tenant: 'bench' }),
  });
  try {
    await deja.ready();
    // Fill: one miss each for generate and stream, then every timed call must be a hit.
    const filled = await generateText({ model: cached, prompt: PROMPT });
    const hit = await generateText({ model: cached, prompt: PROMPT });
    if (filled.text !== RESPONSE_TEXT || dejaHitOf(hit.providerMetadata)?.hit !== 'exact') {
      throw new Error('middleware bench: the second generateText was not an exact hit');
    }
    await streamText({ model: cached, prompt: PROMPT }).consumeStream();
    const replay = streamText({ model: cached, prompt: PROMPT });
    if ((await replay.text) !== RESPONSE_TEXT || dejaHitOf(await replay.providerMetadata)?.hit !== 'exact') {
      throw new Error('middleware bench: the second streamText was not an exact hit');
    }
    await generateText({ model: cachedInMemory, prompt: PROMPT });
    await streamText({ model: cachedInMemory, prompt: PROMPT }).consumeStream();
    const modelCalls = () => behindCache.doGenerateCalls.length + behindCache.doStreamCalls.length;
    const callsBefore = modelCalls();

    const quick = context.quick;
    const generate = await interleave(
      {
        cached_hit: () => generateText({ model: cached, prompt: PROMPT }),
        instant_model: () => generateText({ model: bare, prompt: PROMPT }),
        memory_store_hit: () => generateText({ model: cachedInMemory, prompt: PROMPT }),
      },
      { warmup: quick ? 100 : 1_000, rounds: quick ? 2 : 8, perRound: quick ? 100 : 500 },
    );
    const firstPart = (model: typeof cached) => async () => {
      const result = streamText({ model, prompt: PROMPT });
      for await (const delta of result.textStream) {
        if (delta.length > 0) break;
      }
    };
    const stream = await interleave(
      {
        cached_hit: firstPart(cached),
        mock_model: firstPart(bare),
        memory_store_hit: firstPart(cachedInMemory),
      },
      { warmup: quick ? 50 : 300, rounds: quick ? 2 : 6, perRound: quick ? 50 : 300 },
    );
    if (modelCalls() !== callsBefore)
      throw new Error('middleware bench: a timed cached call reached the model');

    const hitGenerate = summarize(generate.cached_hit as number[]);
    const bareGenerate = summarize(generate.instant_model as number[]);
    results.set(
      'middleware_hit_p50_us',
      round(hitGenerate.p50Us),
      'generateText answered by a deja exact hit, p50 (µs)',
    );
    results.set('middleware_hit_p99_us', round(hitGenerate.p99Us), 'same, p99 (µs)');
    results.set(
      'instant_model_p50_us',
      round(bareGenerate.p50Us),
      'generateText on a mock model that answers at once, no cache, p50 (µs)',
    );
    results.set(
      'middleware_hit_over_instant_model',
      ratio(hitGenerate.p50Us, bareGenerate.p50Us),
      'p50 ratio deja hit / instant model (goal <= 3; middleware_floor_over_instant_model is what one round trip alone costs)',
    );
    results.set(
      'middleware_hit_memory_store_p50_us',
      round(summarize(generate.memory_store_hit as number[]).p50Us),
      'same middleware hit on the memory store, p50 (µs): the CPU part of what deja adds',
    );
    results.set(
      'middleware_hit_added_us',
      round(hitGenerate.p50Us - bareGenerate.p50Us),
      'p50 difference (µs); compare raw_get_p50_us, one round trip',
    );
    const hitStream = summarize(stream.cached_hit as number[]);
    const bareStream = summarize(stream.mock_model as number[]);
    results.set(
      'stream_ttfp_cached_p50_us',
      round(hitStream.p50Us),
      'streamText time to first text part, deja exact hit, p50 (µs)',
    );
    results.set(
      'stream_ttfp_mock_p50_us',
      round(bareStream.p50Us),
      'streamText time to first text part, instant mock model, p50 (µs)',
    );
    results.set(
      'stream_ttfp_memory_store_p50_us',
      round(summarize(stream.memory_store_hit as number[]).p50Us),
      'same, deja hit on the memory store (no round trip), p50 (µs)',
    );
    results.set(
      'stream_ttfp_cached_over_mock',
      ratio(hitStream.p50Us, bareStream.p50Us),
      'p50 ratio cached / mock time to first part',
    );
    log(
      `generateText: hit ${round(hitGenerate.p50Us)} µs vs instant model ${round(bareGenerate.p50Us)} µs; ` +
        `streamText first part: hit ${round(hitStream.p50Us)} µs vs mock ${round(bareStream.p50Us)} µs`,
    );
  } finally {
    await deja.tenant('bench').clear();
    await deja.close();
    await inMemory.close();
  }
}
