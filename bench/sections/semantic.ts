// Semantic lookup: deja against RedisVL's SemanticCache.check on the same Redis Stack, with the
// same vectors, entry counts, dimensions and index types, query vectors precomputed (no embedding
// time on either side). Also the memory one response entry costs, against the sum of its parts.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDeja, type Deja, redisStore } from '@deja/core';
import { type BenchContext, log } from '../lib/context.ts';
import {
  forEachConcurrently,
  indexBytes,
  indexInfo,
  memoryOfKeys,
  PrecomputedEmbedder,
  putEntry,
  type RawClient,
  rawClient,
  waitIndexed,
} from '../lib/deja-setup.ts';
import { knnSearchArgs } from '../lib/knn-search.ts';
import { ratio, round, sampleLatency, summarize } from '../lib/timing.ts';
import { nearQueries, randomTargets, randomUnitVectors, row, writeRows } from '../lib/vectors.ts';
import { RESPONSE_TEXT } from './exact-overhead.ts';

const ALGORITHMS = ['FLAT', 'HNSW'] as const;
type Algorithm = (typeof ALGORITHMS)[number];
/** deja's HNSW defaults (create-index.ts HNSW_DEFAULTS), spelled out for RedisVL so both sides build the same graph. */
const HNSW = { m: 64, efConstruction: 400, efRuntime: 20 };
const MIN_SIMILARITY = 0.9;
/** Each query sits this close (cosine) to one stored vector, so it should hit exactly that one. */
const QUERY_COSINE = 0.95;
const HEADLINE_CELL = 'flat_384_10k';

interface Plan {
  dimensions: number[];
  counts: number[];
  /** Most timed queries per contender and cell. */
  maxSamples: number;
  minSamples: number;
  /** Time budget per contender and cell, µs. */
  budgetUs: number;
  warmup: number;
  /** Largest entry count with HNSW indexes, per dimension. */
  hnswUpTo: (dimensions: number) => number;
}

function plan(quick: boolean): Plan {
  if (quick) {
    return {
      dimensions: [384],
      counts: [500, 2_000],
      maxSamples: 200,
      minSamples: 40,
      budgetUs: 300_000,
      warmup: 10,
      hnswUpTo: () => 2_000,
    };
  }
  const counts = (process.env.DEJA_BENCH_COUNTS ?? '1000,10000,100000').split(',').map(Number);
  const dimensions = (process.env.DEJA_BENCH_DIMS ?? '384,1536').split(',').map(Number);
  return {
    dimensions,
    counts,
    maxSamples: 2_000,
    minSamples: 200,
    budgetUs: 2_500_000,
    warmup: 40,
    hnswUpTo: (dimension) => (dimension > 384 ? 10_000 : Number.POSITIVE_INFINITY),
  };
}

export function countLabel(count: number): string {
  return count >= 1_000 && count % 1_000 === 0 ? `${count / 1_000}k` : String(count);
}

interface Dimension {
  context: BenchContext;
  raw: RawClient;
  plan: Plan;
  dimensions: number;
  base: Float32Array;
  basePath: string;
  embedder: PrecomputedEmbedder;
  dejas: Record<Algorithm, Deja>;
  indexNames: Record<Algorithm, string>;
  redisVlNames: Record<Algorithm, string>;
  /** Rows of the section's latency block. */
  rows: string[][];
}

export async function semanticVsRedisVl(context: BenchContext): Promise<void> {
  const { results } = context;
  results.startSection('Semantic lookup vs RedisVL SemanticCache.check');
  const settings = plan(context.quick);
  const raw = await rawClient(context.stackUrl);
  const rows: string[][] = [];
  try {
    for (const dimensions of settings.dimensions)
      await runDimension(context, raw, settings, dimensions, rows);
  } finally {
    raw.destroy();
  }
  results.block(
    'Latency per cell (algorithm_dimensions_entries); x RedisVL = p50 / RedisVL p50 in the same cell',
    ['cell', 'system', 'samples', 'p50 µs', 'p99 µs', 'hit rate', 'x RedisVL'],
    rows,
  );
  const headline = (system: string) => Number(results.get(`semantic_${system}_${HEADLINE_CELL}_p50_us`));
  if (results.get(`semantic_deja_${HEADLINE_CELL}_p50_us`) !== undefined) {
    results.set(
      'deja_over_redisvl_semantic_check',
      ratio(headline('deja'), headline('redisvl')),
      'p50 deja semantic lookup (query vector given) / RedisVL check(vector=...), 10k entries, dim 384, FLAT (goal <= 0.8)',
    );
    results.set(
      'deja_text_over_redisvl_semantic_check',
      ratio(headline('deja_text'), headline('redisvl')),
      'same, deja lookup by text (embedder instant, embedding cache off: two round trips)',
    );
    results.set(
      'deja_knn_over_redisvl_semantic_check',
      ratio(headline('deja_knn'), headline('redisvl')),
      'same, deja tenant.knn(vector) (the KNN round trip alone, no exact-key probe)',
    );
  }
  results.note(
    `Semantic: ${settings.counts.map(countLabel).join('/')} entries of random unit vectors; each query is a stored vector plus noise ` +
      `(cosine ${QUERY_COSINE}), threshold ${MIN_SIMILARITY} (RedisVL distance ${round(1 - MIN_SIMILARITY, 2)}); hit_rate = share of queries answered with their own entry. ` +
      `deja = responses.lookup with the query's vector (exact-key probe, marks flag and KNN k=3 filtered on its one bucket tag (tenant, scope, user, model), one pipeline), like RedisVL's check(vector=...); ` +
      `deja_text = responses.lookup with the text only (exact probe, then the embedder, which returns precomputed vectors, embedding cache off, then the KNN: two round trips); ` +
      `deja_knn = tenant.knn(vector, k=1); raw_knn_* (dim 384) = deja's KNN query (k=1) sent by a raw client, with its one bucket-tag filter and RediSearch's automatic hybrid policy, without a filter ('unfiltered'), and on HNSW with HYBRID_POLICY BATCHES forced (what deja sends for a bucket holding >= the threshold share of the index, as here); redisvl = SemanticCache.check(vector=..., num_results=1) with RedisVL defaults (no TTL, so no EXPIRE on hit). ` +
      `HNSW on both: M=${HNSW.m}, EF_CONSTRUCTION=${HNSW.efConstruction}, EF_RUNTIME=${HNSW.efRuntime}; RedisVL's SemanticCache only builds FLAT, so its HNSW index is its own schema with the vector field switched to HNSW.`,
  );
}

async function runDimension(
  context: BenchContext,
  raw: RawClient,
  settings: Plan,
  dimensions: number,
  rows: string[][],
): Promise<void> {
  const { redisVl } = context;
  const maxCount = settings.counts.at(-1) as number;
  log(`dim ${dimensions}: generating ${maxCount.toLocaleString()} vectors`);
  const base = randomUnitVectors(maxCount, dimensions, 1_000 + dimensions);
  const basePath = join(context.workDir, `base-${dimensions}.f32`);
  writeRows(basePath, base);
  const embedder = new PrecomputedEmbedder(dimensions);
  const prefix = `bench:sem${dimensions}:`;
  const indexNames = { FLAT: `bench-sem${dimensions}-flat`, HNSW: `bench-sem${dimensions}-hnsw` };
  const redisVlNames = { FLAT: `rvl${dimensions}`, HNSW: `rvl${dimensions}-hnsw` };
  const makeDeja = (algorithm: Algorithm) =>
    createDeja({
      // Both indexes cover the same entries (same prefix): written once, indexed twice.
      store: redisStore({ url: context.stackUrl, prefix, indexName: indexNames[algorithm], algorithm }),
      embedder,
      cacheEmbeddings: false,
      minSimilarity: MIN_SIMILARITY,
      // The static rule, like RedisVL's distance threshold: this section compares lookup speed (the
      // default error bound would serve no unverified hit on a new cache: hits 0).
      maxErrorRate: false,
      statsFlushMs: 0,
      // A FLAT scan of 100k x 1536 takes tens of ms; the bench wants every answer, not a fail-open miss.
      timeoutMs: 60_000,
    });
  const dejas = { FLAT: makeDeja('FLAT'), HNSW: makeDeja('HNSW') };
  const dimension: Dimension = {
    rows,
    context,
    raw,
    plan: settings,
    dimensions,
    base,
    basePath,
    embedder,
    dejas,
    indexNames,
    redisVlNames,
  };
  try {
    await dejas.FLAT.ready();
    await dejas.HNSW.ready();
    const distanceThreshold = round(1 - MIN_SIMILARITY, 6);
    await redisVl.call('semantic.create', {
      url: context.stackUrl,
      name: redisVlNames.FLAT,
      dims: dimensions,
      algorithm: 'FLAT',
      distanceThreshold,
    });
    await redisVl.call('semantic.create', {
      url: context.stackUrl,
      name: redisVlNames.HNSW,
      dims: dimensions,
      algorithm: 'HNSW',
      prefixOf: redisVlNames.FLAT,
      hnsw: HNSW,
      distanceThreshold,
    });
    let loaded = 0;
    let hnsw = true;
    const memoryAt = settings.counts.includes(10_000) ? 10_000 : (settings.counts.at(-1) as number);
    for (const count of settings.counts) {
      if (hnsw && count > settings.hnswUpTo(dimensions)) {
        // Building HNSW graphs of 100k x 1536 on both sides takes longer than the whole bench may.
        await raw.sendCommand(['FT.DROPINDEX', indexNames.HNSW]);
        await redisVl.call('drop', { semantic: [redisVlNames.HNSW], embeddings: [], dropData: false });
        hnsw = false;
        context.results.note(
          `HNSW at dim ${dimensions} is measured up to ${settings.hnswUpTo(dimensions).toLocaleString()} entries: building both HNSW graphs ` +
            `(deja's and RedisVL's) for ${count.toLocaleString()} x ${dimensions} would take most of the bench's time budget on 2 cores; FLAT goes on to ${count.toLocaleString()}.`,
        );
      }
      await load(dimension, loaded, count, hnsw);
      loaded = count;
      for (const algorithm of ALGORITHMS)
        if (algorithm === 'FLAT' || hnsw) await measureCell(dimension, count, algorithm);
      if (count === memoryAt) await measureMemory(dimension, count);
    }
  } finally {
    await dejas.FLAT.close();
    await dejas.HNSW.close();
    await redisVl.call('drop', {
      semantic: [redisVlNames.HNSW, redisVlNames.FLAT],
      embeddings: [],
      dropData: false,
    });
    // The bench owns this server: start the next dimension from an empty one.
    await raw.sendCommand(['FLUSHALL', 'SYNC']);
    for (const file of readdirSync(context.workDir)) {
      if (file.endsWith(`-${dimensions}.f32`) || file.startsWith(`queries-${dimensions}-`))
        rmSync(join(context.workDir, file));
    }
  }
}

async function load(dimension: Dimension, start: number, end: number, hnsw: boolean): Promise<void> {
  const { context, raw, dimensions, base, dejas, indexNames, redisVlNames } = dimension;
  const loader = dejas.FLAT.tenant('bench');
  let started = performance.now();
  await forEachConcurrently(start, end, 32, (i) =>
    putEntry(loader, i, { value: RESPONSE_TEXT, text: `prompt ${i}`, vector: row(base, i, dimensions) }),
  );
  await waitIndexed(raw, indexNames.FLAT, end);
  if (hnsw) await waitIndexed(raw, indexNames.HNSW, end);
  const dejaSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await context.redisVl.call('semantic.load', {
    name: redisVlNames.FLAT,
    vectorsPath: dimension.basePath,
    dims: dimensions,
    start,
    end,
    response: RESPONSE_TEXT,
    promptPrefix: 'prompt ',
  });
  await waitIndexed(raw, redisVlNames.FLAT, end);
  if (hnsw) await waitIndexed(raw, redisVlNames.HNSW, end);
  const redisVlSeconds = (performance.now() - started) / 1000;
  log(
    `dim ${dimensions}: loaded ${start.toLocaleString()}..${end.toLocaleString()}: deja ${dejaSeconds.toFixed(1)} s, RedisVL ${redisVlSeconds.toFixed(1)} s (${hnsw ? 'FLAT + HNSW indexes' : 'FLAT index'} each)`,
  );
}

/** deja's bucket tag of the bench's entries (one tenant, scope, user and model), read from one of them. */
async function benchBucket(raw: Dimension['raw'], indexName: string): Promise<string> {
  const reply = (await raw.sendCommand([
    'FT.SEARCH',
    indexName,
    '*',
    'RETURN',
    '1',
    'bucket',
    'LIMIT',
    '0',
    '1',
    'DIALECT',
    '2',
  ])) as { results?: { extra_attributes?: { bucket?: string } }[] };
  const bucket = reply.results?.[0]?.extra_attributes?.bucket;
  if (!bucket) throw new Error(`bench: no entry with a bucket in ${indexName}`);
  return bucket;
}

interface CellSamples {
  timesUs: number[];
  correct: number;
}

async function measureCell(dimension: Dimension, count: number, algorithm: Algorithm): Promise<void> {
  const { context, plan: settings, dimensions, base, embedder } = dimension;
  const { results, redisVl } = context;
  const cell = `${algorithm.toLowerCase()}_${dimensions}_${countLabel(count)}`;
  const total = settings.maxSamples + settings.warmup;
  // Same query set for FLAT and HNSW at one count (seeded by count and dimension).
  const targets = randomTargets(total, count, count * 7 + dimensions);
  const queries = nearQueries(base, dimensions, targets, QUERY_COSINE, count * 13 + dimensions);
  const queriesPath = join(context.workDir, `queries-${dimensions}-${count}.f32`);
  writeRows(queriesPath, queries);
  const textOf = (i: number) => `query ${dimensions}/${count}/${i}`;
  for (let i = 0; i < total; i++) embedder.set(textOf(i), row(queries, i, dimensions));
  const tenant = dimension.dejas[algorithm].tenant('bench');
  const redisVlName = dimension.redisVlNames[algorithm];
  const targetOf = (i: number) => targets[i] as number;

  const contenders: Record<string, (i: number) => Promise<boolean>> = {
    // The caller's vector, as RedisVL's check(vector=...) gets it: one round trip.
    deja: async (i) => {
      const hit = await tenant.responses.lookup({
        key: { query: textOf(i) },
        semanticText: textOf(i),
        vector: row(queries, i, dimensions),
      });
      return hit?.hit === 'semantic' && hit.meta.custom?.i === targetOf(i);
    },
    // The text only: the (instant) embedder is asked after the exact probe, then the KNN: two.
    deja_text: async (i) => {
      const hit = await tenant.responses.lookup({ key: { query: textOf(i) }, semanticText: textOf(i) });
      return hit?.hit === 'semantic' && hit.meta.custom?.i === targetOf(i);
    },
    deja_knn: async (i) => {
      const [best] = await tenant.knn(row(queries, i, dimensions), { k: 1, minSimilarity: MIN_SIMILARITY });
      return best?.meta.custom?.i === targetOf(i);
    },
  };
  if (dimensions === 384) {
    // Where the time goes: deja's KNN query sent raw, with and without its filter (the one bucket
    // tag of the tenant, scope, user and model) and, on HNSW, with BATCHES forced (deja sends it
    // itself once it knows the bucket is a large share of the index, as here: every entry).
    const filter = `(@bucket:{${await benchBucket(dimension.raw, dimension.indexNames[algorithm])}})`;
    const rawKnn =
      (query: string, policy = '') =>
      async (i: number) => {
        const vector = row(queries, i, dimensions);
        const reply = (await dimension.raw.sendCommand(
          knnSearchArgs(dimension.indexNames[algorithm], query, policy, vector, [
            'response',
            'meta',
            'created_at',
            'distance',
          ]),
        )) as { results?: { extra_attributes?: { meta?: string } }[] };
        const meta = reply.results?.[0]?.extra_attributes?.meta;
        return (
          meta !== undefined && (JSON.parse(meta) as { custom?: { i?: number } }).custom?.i === targetOf(i)
        );
      };
    contenders.raw_knn_filtered = rawKnn(filter);
    contenders.raw_knn_unfiltered = rawKnn('*');
    if (algorithm === 'HNSW') contenders.raw_knn_filtered_batches = rawKnn(filter, 'HYBRID_POLICY BATCHES');
  }
  const timeLocal = async (
    operation: (i: number) => Promise<boolean>,
    from: number,
    to: number,
  ): Promise<CellSamples> => {
    let correct = 0;
    const timesUs = await sampleLatency(to - from, async (j) => {
      if (await operation(from + j)) correct++;
    });
    return { timesUs, correct };
  };
  const timeRedisVl = (from: number, to: number) =>
    redisVl.call<CellSamples>('semantic.check', {
      name: redisVlName,
      queriesPath,
      dims: dimensions,
      targets,
      indices: Array.from({ length: to - from }, (_, j) => from + j),
    });

  // Warm-up on queries past the timed ones; its timing sizes the sample to the time budget.
  const warmFrom = settings.maxSamples;
  const probe = await timeLocal(contenders.deja as (i: number) => Promise<boolean>, warmFrom, total);
  for (const [name, operation] of Object.entries(contenders))
    if (name !== 'deja') await timeLocal(operation, warmFrom, total);
  await timeRedisVl(warmFrom, total);
  const perCallUs = summarize(probe.timesUs).p50Us;
  const samples = Math.max(
    settings.minSamples,
    Math.min(settings.maxSamples, Math.round(settings.budgetUs / perCallUs)),
  );
  const rounds = 4;
  const perRound = Math.ceil(samples / rounds);

  const collected: Record<string, CellSamples> = Object.fromEntries(
    [...Object.keys(contenders), 'redisvl'].map((name) => [name, { timesUs: [], correct: 0 }]),
  );
  const add = (name: string, taken: CellSamples) => {
    const into = collected[name] as CellSamples;
    into.timesUs.push(...taken.timesUs);
    into.correct += taken.correct;
  };
  for (let round = 0; round < rounds; round++) {
    const from = round * perRound;
    const to = Math.min(samples, from + perRound);
    if (from >= to) break;
    for (const [name, operation] of Object.entries(contenders))
      add(name, await timeLocal(operation, from, to));
    add('redisvl', await timeRedisVl(from, to));
  }

  const line: string[] = [];
  const p50 = (system: string) => summarize((collected[system] as CellSamples).timesUs).p50Us;
  for (const [system, taken] of Object.entries(collected)) {
    const summary = summarize(taken.timesUs);
    const label = `${system} ${cell}`;
    const hitRate = round(taken.correct / summary.count, 3);
    // Per-cell figures go to latest.json; the printed table shows them as one block per section.
    results.set(`semantic_${system}_${cell}_p50_us`, round(summary.p50Us), `${label} p50 (µs)`, false);
    results.set(`semantic_${system}_${cell}_p99_us`, round(summary.p99Us), `${label} p99 (µs)`, false);
    results.set(
      `semantic_${system}_${cell}_hit_rate`,
      hitRate,
      `${label}: share answered with the right entry`,
      false,
    );
    dimension.rows.push([
      cell,
      system,
      String(summary.count),
      round(summary.p50Us).toFixed(1),
      round(summary.p99Us).toFixed(1),
      hitRate.toFixed(3),
      ratio(summary.p50Us, p50('redisvl')).toFixed(3),
    ]);
    line.push(`${system} p50 ${round(summary.p50Us)} µs (hits ${taken.correct}/${summary.count})`);
  }
  results.set(
    `deja_over_redisvl_${cell}`,
    ratio(p50('deja'), p50('redisvl')),
    `p50 ratio deja lookup / RedisVL check, ${cell}`,
  );
  log(`${cell}: ${line.join('; ')}`);
}

async function measureMemory(dimension: Dimension, count: number): Promise<void> {
  const { context, raw, dimensions, indexNames, redisVlNames } = dimension;
  const { results } = context;
  const sample = context.quick ? 100 : 500;
  const entries = await memoryOfKeys(raw, `bench:sem${dimensions}:*`, sample);
  const auxiliary = await memoryOfKeys(raw, `~bench:sem${dimensions}:*`, 1_000_000);
  const flat = indexBytes(await indexInfo(raw, indexNames.FLAT)) / count;
  const hnsw = indexBytes(await indexInfo(raw, indexNames.HNSW)) / count;
  const auxiliaryPerEntry = auxiliary.totalSampled / count;
  const dejaTotal = entries.meanBytes + auxiliaryPerEntry + flat;

  // The raw parts of one entry: the bytes it has to remember (field values), with no overhead at all.
  let rawParts = 0;
  if (entries.sampleKey) {
    for (const field of (await raw.sendCommand(['HKEYS', entries.sampleKey])) as string[]) {
      rawParts += Number(await raw.sendCommand(['HSTRLEN', entries.sampleKey, field]));
    }
  }

  const redisVlEntries = await memoryOfKeys(raw, `${redisVlNames.FLAT}:*`, sample);
  const redisVlFlat = indexBytes(await indexInfo(raw, redisVlNames.FLAT)) / count;
  const d = dimensions;
  results.set(
    `memory_per_entry_bytes_${d}`,
    Math.round(dejaTotal),
    `deja bytes per response entry, dim ${d}: hash + member sets + FLAT index share`,
  );
  results.set(
    `memory_per_entry_hash_bytes_${d}`,
    Math.round(entries.meanBytes),
    `MEMORY USAGE of one entry hash, dim ${d}`,
  );
  results.set(
    `memory_per_entry_sets_bytes_${d}`,
    Math.round(auxiliaryPerEntry),
    `per-user member set share per entry, dim ${d}`,
  );
  results.set(
    `memory_per_entry_flat_index_bytes_${d}`,
    Math.round(flat),
    `FLAT index (FT.INFO) per entry, dim ${d}`,
  );
  results.set(
    `memory_per_entry_hnsw_index_bytes_${d}`,
    Math.round(hnsw),
    `HNSW index (FT.INFO) per entry if chosen instead, dim ${d}`,
  );
  results.set(
    `memory_per_entry_raw_parts_bytes_${d}`,
    rawParts,
    `sum of the raw parts (response, text, meta, ids, ${d}x4-byte vector)`,
  );
  results.set(
    `memory_per_entry_over_raw_${d}`,
    ratio(dejaTotal, rawParts),
    `deja entry (with FLAT index) / raw parts, dim ${d}`,
  );
  results.set(
    `memory_per_entry_redisvl_bytes_${d}`,
    Math.round(redisVlEntries.meanBytes + redisVlFlat),
    `RedisVL SemanticCache entry + FLAT index share, same response and vector, dim ${d}`,
  );
  results.set(
    `memory_per_entry_redisvl_flat_index_bytes_${d}`,
    Math.round(redisVlFlat),
    `RedisVL FLAT index (FT.INFO) per entry, dim ${d}`,
  );
  results.set(
    `memory_per_entry_redisvl_hash_bytes_${d}`,
    Math.round(redisVlEntries.meanBytes),
    `MEMORY USAGE of one RedisVL entry hash, dim ${d}`,
  );
  log(
    `memory dim ${d}: deja ${Math.round(dejaTotal)} B/entry (hash ${Math.round(entries.meanBytes)}, sets ${Math.round(auxiliaryPerEntry)}, ` +
      `FLAT ${Math.round(flat)}, HNSW ${Math.round(hnsw)}) vs raw parts ${rawParts} B; RedisVL ${Math.round(redisVlEntries.meanBytes + redisVlFlat)} B`,
  );
}
