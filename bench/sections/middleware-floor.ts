// What a cached generateText can cost at best on this machine: the instant mock model behind a
// pass-through middleware that waits for ONE raw node-redis GET of the cached answer's bytes (no
// deja at all), measured in the same interleaved rounds as the deja middleware hit and the plain
// instant model. `middleware_hit_over_instant_model` compares a hit, which needs a round trip, with
// a call that has none; `middleware_floor_over_instant_model` says how much of that ratio the round
// trip alone takes here, and `middleware_hit_over_floor` what deja adds on top of it.
//   node bench/lib/middleware-floor-alone.ts   (after a build of the workspace), or section
//   'middleware-floor' of the full bench.
import { createDeja, redisStore } from '@deja/core';
import { createClient } from 'redis';
import { type BenchContext, log } from '../lib/context.ts';
import { instantModelMaker } from '../lib/instant-model.ts';
import { interleave, ratio, round, summarize } from '../lib/timing.ts';

const PROMPT = 'What does a cache hit cost on top of the AI SDK?';

export async function middlewareFloor(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection('AI SDK middleware: the floor of a cached hit (one round trip, no deja)');
  const [
    { generateText, simulateReadableStream, wrapLanguageModel },
    { MockLanguageModelV4 },
    { dejaMiddleware, dejaHitOf },
  ] = await Promise.all([import('ai'), import('ai/test'), import('@deja/ai-sdk')]);
  const instantModel = instantModelMaker({ MockLanguageModelV4, simulateReadableStream });
  // Same connection settings as deja's own (packages/core/src/stores/redis/connection.ts).
  const raw = createClient({ url: context.stackUrl, disableOfflineQueue: true });
  raw.on('error', () => undefined);
  await raw.connect();
  const deja = createDeja({
    store: redisStore({ url: context.stackUrl, prefix: 'bench:floor:', indexName: 'bench-floor-idx' }),
    statsFlushMs: 0,
  });
  try {
    await deja.ready();
    const cached = wrapLanguageModel({
      model: instantModel(),
      middleware: dejaMiddleware({ deja, tenant: 'bench' }),
    });
    await generateText({ model: cached, prompt: PROMPT });
    const hit = await generateText({ model: cached, prompt: PROMPT });
    if (dejaHitOf(hit.providerMetadata)?.hit !== 'exact')
      throw new Error('middleware floor bench: the second generateText was not an exact hit');
    // The floor reads the bytes deja keeps for that answer, so both fetch the same payload.
    const [entryKey] = await raw.keys('bench:floor:{*');
    const payload = entryKey ? await raw.hGet(entryKey, 'response') : undefined;
    if (!payload) throw new Error('middleware floor bench: no stored entry found');
    await raw.set('bench:floor-raw', payload);
    log(`payload ${Buffer.byteLength(payload)} bytes`);
    const floor = wrapLanguageModel({
      model: instantModel(),
      middleware: {
        specificationVersion: 'v3',
        wrapGenerate: async ({ doGenerate }) => {
          await raw.get('bench:floor-raw');
          return doGenerate();
        },
      },
    });
    const bare = instantModel();
    const quick = context.quick;
    const samples = await interleave(
      {
        cached_hit: () => generateText({ model: cached, prompt: PROMPT }),
        floor: () => generateText({ model: floor, prompt: PROMPT }),
        instant_model: () => generateText({ model: bare, prompt: PROMPT }),
      },
      { warmup: quick ? 100 : 1_000, rounds: quick ? 2 : 8, perRound: quick ? 100 : 500 },
    );
    const [hitUs, floorUs, bareUs] = (['cached_hit', 'floor', 'instant_model'] as const).map(
      (name) => summarize(samples[name] as number[]).p50Us,
    ) as [number, number, number];
    results.set('middleware_floor_p50_us', round(floorUs), 'instant model behind one raw GET, p50 (µs)');
    results.set(
      'middleware_floor_hit_p50_us',
      round(hitUs),
      'deja middleware exact hit, same rounds, p50 (µs)',
    );
    results.set('middleware_floor_instant_p50_us', round(bareUs), 'instant model, same rounds, p50 (µs)');
    results.set(
      'middleware_floor_over_instant_model',
      ratio(floorUs, bareUs),
      'p50 ratio floor / instant model: the least a hit that needs a round trip can show',
    );
    results.set(
      'middleware_hit_over_floor',
      ratio(hitUs, floorUs),
      'p50 ratio deja hit / floor: what deja adds beyond the round trip',
    );
  } finally {
    await deja.tenant('bench').clear();
    await deja.close();
    await raw.del('bench:floor-raw');
    raw.destroy();
  }
}
