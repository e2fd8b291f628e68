// Embedding cache: a 1,000-text batch that is all hits, deja.embeddings.embed against RedisVL's
// EmbeddingsCache.mget, same Redis, same vectors; and what one cached vector costs in memory.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDeja, redisStore } from '@deja/core';
import { countingEmbedder } from '@deja/core/testing';
import { type BenchContext, log } from '../lib/context.ts';
import { memoryOfKeys, PrecomputedEmbedder, rawClient } from '../lib/deja-setup.ts';
import { ratio, sampleLatency, summarize } from '../lib/timing.ts';
import { randomUnitVectors, row, writeRows } from '../lib/vectors.ts';

const BATCH = 1_000;
const MODEL = 'bench-model';
const WEEK_S = 7 * 86_400;

function chunkText(i: number): string {
  return `Chunk ${i} of the handbook: deja caches embeddings per text, so re-indexing an unchanged document costs one MGET instead of a model call.`;
}

export async function embeddingCache(context: BenchContext): Promise<void> {
  context.results.startSection('Embedding cache vs RedisVL EmbeddingsCache (1,000-text batch, all hits)');
  for (const dimensions of [1_536, 384]) await measureDimension(context, dimensions);
  context.results.note(
    'Embedding cache: deja.embeddings.embed(1,000 texts) with every text cached (the embedder is never called: checked), default embeddingReadBatchSize 100 ' +
      '(10 MGETs in sequence) and embeddingReadBatchSize 1,000 (one MGET); RedisVL EmbeddingsCache.mget of the same texts (one pipeline of HGETALL) ' +
      'with its default ttl=None, and with ttl=7 days, where every hit is followed by its own EXPIRE round trip. deja keeps a TTL (7 days) on every vector.',
  );
}

async function measureDimension(context: BenchContext, dimensions: number): Promise<void> {
  const { results, redisVl } = context;
  const texts = Array.from({ length: BATCH }, (_, i) => chunkText(i));
  const vectors = randomUnitVectors(BATCH, dimensions, 77 + dimensions);
  const vectorsPath = join(context.workDir, `embeddings-${dimensions}.f32`);
  writeRows(vectorsPath, vectors);
  const precomputed = new PrecomputedEmbedder(dimensions);
  for (const [i, text] of texts.entries()) precomputed.set(text, row(vectors, i, dimensions));
  const embedder = countingEmbedder(precomputed);
  const prefix = `bench:emb${dimensions}:`;
  const makeDeja = (embeddingReadBatchSize: number) =>
    createDeja({
      store: redisStore({
        url: context.stackUrl,
        prefix: `bench:embresp${dimensions}:`,
        indexName: `bench-emb${dimensions}-idx`,
      }),
      embedder,
      embeddingKeyPrefix: prefix,
      embeddingReadBatchSize,
      // The Redis read is what is compared with RedisVL's mget: without this, every batch after
      // the first would come from the in-process copy (localEmbeddings) and never reach Redis.
      localEmbeddings: 0,
      statsFlushMs: 0,
    });
  const dejaDefault = makeDeja(100);
  const dejaOneMget = makeDeja(BATCH);
  const raw = await rawClient(context.stackUrl);
  const names = { plain: `rvl-emb${dimensions}`, ttl: `rvl-emb${dimensions}-ttl` };
  try {
    await dejaDefault.embeddings.embed(texts);
    if (embedder.calls !== 1)
      throw new Error('embedding bench: the first batch should reach the embedder once');
    for (const [variant, name] of Object.entries(names)) {
      await redisVl.call('embeddings.setup', {
        url: context.stackUrl,
        name,
        texts,
        dims: dimensions,
        vectorsPath,
        model: MODEL,
        ttl: variant === 'ttl' ? WEEK_S : null,
      });
    }

    const rounds = context.quick ? 2 : 5;
    const perRound = context.quick ? 3 : 12;
    const samples: Record<string, number[]> = {
      deja: [],
      deja_one_mget: [],
      redisvl: [],
      redisvl_with_ttl: [],
    };
    const dejaBatch = (deja: typeof dejaDefault) => async () => {
      const got = await deja.embeddings.embed(texts);
      if (got.length !== BATCH) throw new Error('embedding bench: short batch');
    };
    await sampleLatency(3, dejaBatch(dejaDefault));
    await sampleLatency(3, dejaBatch(dejaOneMget));
    await redisVl.call('embeddings.mget', { name: names.plain, texts, model: MODEL, rounds: 2 });
    for (let round = 0; round < rounds; round++) {
      samples.deja?.push(...(await sampleLatency(perRound, dejaBatch(dejaDefault))));
      samples.deja_one_mget?.push(...(await sampleLatency(perRound, dejaBatch(dejaOneMget))));
      const plain = await redisVl.call<{ timesUs: number[] }>('embeddings.mget', {
        name: names.plain,
        texts,
        model: MODEL,
        rounds: perRound,
      });
      samples.redisvl?.push(...plain.timesUs);
      const withTtl = await redisVl.call<{ timesUs: number[] }>('embeddings.mget', {
        name: names.ttl,
        texts,
        model: MODEL,
        rounds: 1,
      });
      samples.redisvl_with_ttl?.push(...withTtl.timesUs);
    }
    if (embedder.calls !== 1)
      throw new Error(`embedding bench: hits reached the embedder (${embedder.calls} calls)`);

    const perSecond = (name: string) =>
      Math.round(BATCH / (summarize(samples[name] as number[]).p50Us / 1e6));
    const d = dimensions;
    const primary = d === 1_536;
    const label = (name: string) => (primary ? [name, `${name}_${d}`] : [`${name}_${d}`]);
    for (const name of label('embedding_mget_per_s_deja')) {
      results.set(
        name,
        perSecond('deja'),
        `deja texts/s, 1,000-text all-hit batch, dim ${d} (default embeddingReadBatchSize 100)`,
      );
    }
    for (const name of label('embedding_mget_per_s_redisvl')) {
      results.set(
        name,
        perSecond('redisvl'),
        `RedisVL EmbeddingsCache.mget texts/s, same batch, dim ${d} (ttl=None)`,
      );
    }
    results.set(
      `embedding_mget_per_s_deja_one_mget_${d}`,
      perSecond('deja_one_mget'),
      `deja texts/s with embeddingReadBatchSize 1,000 (one MGET), dim ${d}`,
    );
    results.set(
      `embedding_mget_per_s_redisvl_with_ttl_${d}`,
      perSecond('redisvl_with_ttl'),
      `RedisVL texts/s with ttl set (EXPIRE per hit), dim ${d}`,
    );
    results.set(
      `embedding_deja_over_redisvl_throughput_${d}`,
      ratio(perSecond('deja'), perSecond('redisvl')),
      `deja / RedisVL texts per second, dim ${d} (> 1: deja faster)`,
    );

    const dejaMemory = await memoryOfKeys(raw, `${prefix}*`, 200);
    const redisVlMemory = await memoryOfKeys(raw, `${names.plain}:*`, 200);
    results.set(
      `memory_per_vector_bytes_deja_${d}`,
      Math.round(dejaMemory.meanBytes),
      `MEMORY USAGE per cached vector, deja (raw float32 string), dim ${d}`,
    );
    results.set(
      `memory_per_vector_bytes_redisvl_${d}`,
      Math.round(redisVlMemory.meanBytes),
      `MEMORY USAGE per cached vector, RedisVL (hash with JSON vector, text, model), dim ${d}`,
    );
    results.set(`memory_per_vector_raw_bytes_${d}`, d * 4, `the vector itself: ${d} float32`);
    log(
      `dim ${d}: deja ${perSecond('deja').toLocaleString()} texts/s (one MGET: ${perSecond('deja_one_mget').toLocaleString()}), ` +
        `RedisVL ${perSecond('redisvl').toLocaleString()} texts/s (with ttl: ${perSecond('redisvl_with_ttl').toLocaleString()}); ` +
        `memory/vector deja ${Math.round(dejaMemory.meanBytes)} B, RedisVL ${Math.round(redisVlMemory.meanBytes)} B (raw ${d * 4} B)`,
    );
    if (dejaMemory.keys !== BATCH)
      results.note(`embedding cache dim ${d}: deja holds ${dejaMemory.keys} keys for ${BATCH} texts`);
  } finally {
    await redisVl.call('drop', { semantic: [], embeddings: Object.values(names), dropData: true });
    for await (const batch of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
      if (batch.length) await raw.del(batch);
    await dejaDefault.close();
    await dejaOneMget.close();
    raw.destroy();
    rmSync(vectorsPath, { force: true });
  }
}
