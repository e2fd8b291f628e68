// Floor: a deja exact hit (1.5 KB response) against a raw node-redis GET of the same payload, made
// on a client with the same connection settings as deja's own. The floor is one round trip.
import { createDeja, redisStore } from '@deja/core';
import { createClient } from 'redis';
import { type BenchContext, log } from '../lib/context.ts';
import { CLIENT_CPU, canPin, pin, SERVER_CPU } from '../lib/cpu.ts';
import { interleave, ratio, round, sampleLatency, summarize } from '../lib/timing.ts';

export const RESPONSE_TEXT = makeResponseText(1_500);

/** A ~1.5 KB answer, the size of a typical chat completion. */
function makeResponseText(bytes: number): string {
  const sentence =
    'Redis keeps the cached answer in memory, so a repeated question is served in well under a millisecond. ';
  return sentence.repeat(Math.ceil(bytes / sentence.length)).slice(0, bytes);
}

/** The key material an adapter would hash for one generateText call. */
export function requestKey(i: number): unknown {
  return {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are a concise assistant.' },
      { role: 'user', content: `What does a cache hit cost? (#${i})` },
    ],
    temperature: 0,
    maxOutputTokens: 512,
  };
}

export async function exactOverhead(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection('Exact hit vs raw GET (floor)');
  const store = redisStore({ url: context.stackUrl, prefix: 'bench:exact:', indexName: 'bench-exact-idx' });
  const deja = createDeja({ store, statsFlushMs: 0 });
  // Same settings as deja's connection (packages/core/src/stores/redis/connection.ts).
  const raw = createClient({
    url: context.stackUrl,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
    },
  });
  raw.on('error', () => undefined);
  await raw.connect();
  try {
    await deja.ready();
    const tenant = deja.tenant('bench');
    const keys = 64;
    for (let i = 0; i < keys; i++) {
      const stored = await tenant.responses.store({ key: requestKey(i) }, RESPONSE_TEXT, {
        model: 'gpt-4o-mini',
      });
      if (!stored.stored) throw new Error(`exact bench: entry ${i} was not stored (${stored.reason})`);
    }
    // The raw GET fetches exactly the bytes deja keeps in the entry's response field.
    const entryKey = (await raw.keys('bench:exact:*'))[0] as string;
    const payload = (await raw.hGet(entryKey, 'response')) as string;
    for (let i = 0; i < keys; i++) await raw.set(`bench:raw:${i}`, payload);
    log(`payload ${Buffer.byteLength(payload)} bytes; ${keys} entries each`);

    const measure = async () => {
      let misses = 0;
      const quick = context.quick;
      const samples = await interleave(
        {
          deja: async (i) => {
            const hit = await tenant.responses.lookup({ key: requestKey(i % keys) });
            if (hit?.hit !== 'exact') misses++;
          },
          raw: (i) => raw.get(`bench:raw:${i % keys}`),
        },
        { warmup: quick ? 200 : 3_000, rounds: quick ? 2 : 10, perRound: quick ? 300 : 1_500 },
      );
      if (misses > 0) throw new Error(`exact bench: ${misses} lookups missed`);
      return { deja: summarize(samples.deja as number[]), raw: summarize(samples.raw as number[]) };
    };

    const apart = await measure();
    results.set(
      'exact_hit_p50_us',
      round(apart.deja.p50Us),
      'deja exact-hit lookup p50 (µs), 1.5 KB response',
    );
    results.set('exact_hit_p99_us', round(apart.deja.p99Us), 'deja exact-hit lookup p99 (µs)');
    results.set('raw_get_p50_us', round(apart.raw.p50Us), 'raw node-redis GET of the same payload p50 (µs)');
    results.set('raw_get_p99_us', round(apart.raw.p99Us), 'raw node-redis GET p99 (µs)');
    results.set(
      'exact_hit_over_raw_get',
      ratio(apart.deja.p50Us, apart.raw.p50Us),
      'p50 ratio deja exact hit / raw GET (goal <= 1.2)',
    );
    results.set(
      'exact_hit_p99_over_raw_get_p99',
      ratio(apart.deja.p99Us, apart.raw.p99Us),
      'p99 ratio deja exact hit / raw GET',
    );
    results.set('exact_samples', apart.deja.count, 'samples per contender (interleaved rounds)');

    if (canPin()) {
      // The strict variant: Redis on the client's CPU, so the round trip is as cheap as it gets
      // here and deja's own CPU time weighs the most.
      pin(context.stackPid, CLIENT_CPU);
      try {
        const together = await measure();
        results.set(
          'exact_hit_same_core_p50_us',
          round(together.deja.p50Us),
          'deja exact hit p50 (µs), Redis on the client CPU',
        );
        results.set(
          'raw_get_same_core_p50_us',
          round(together.raw.p50Us),
          'raw GET p50 (µs), Redis on the client CPU',
        );
        results.set(
          'exact_hit_over_raw_get_same_core',
          ratio(together.deja.p50Us, together.raw.p50Us),
          'p50 ratio with Redis on the client CPU (cheapest round trip: deja CPU time weighs most)',
        );
      } finally {
        pin(context.stackPid, SERVER_CPU);
      }
    }
    // deja's own CPU time per exact hit, without any Redis: the memory store.
    const memory = createDeja({ statsFlushMs: 0 });
    const memoryTenant = memory.tenant('bench');
    await memoryTenant.responses.store({ key: requestKey(0) }, RESPONSE_TEXT, { model: 'gpt-4o-mini' });
    const cpu = summarize(
      await sampleLatency(context.quick ? 2_000 : 20_000, () =>
        memoryTenant.responses.lookup({ key: requestKey(0) }),
      ),
    );
    results.set(
      'exact_hit_memory_store_p50_us',
      round(cpu.p50Us, 2),
      'deja exact hit on the memory store p50 (µs): its CPU cost',
    );
    await memory.close();
  } finally {
    await deja.tenant('bench').clear();
    for await (const batch of raw.scanIterator({ MATCH: 'bench:raw:*', COUNT: 1000 }))
      if (batch.length) await raw.del(batch);
    await deja.close();
    raw.destroy();
  }
}
