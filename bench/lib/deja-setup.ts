// Shared deja plumbing for the benchmarks: an embedder that only hands out precomputed vectors (so
// embedding time is excluded), entry loading at a bounded concurrency, and raw-Redis helpers.
import type { Embedder, TenantCache } from '@deja/core';
import { createClient } from 'redis';

/** text -> a vector chosen in advance; any other text is a bench bug. */
export class PrecomputedEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  private readonly vectors = new Map<string, Float32Array>();

  constructor(dimensions: number) {
    this.dimensions = dimensions;
    this.modelId = `bench-precomputed-${dimensions}`;
  }

  set(text: string, vector: Float32Array): void {
    this.vectors.set(text, vector);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      const vector = this.vectors.get(text);
      if (!vector) throw new Error(`bench: no precomputed vector for ${JSON.stringify(text)}`);
      return vector;
    });
  }
}

/** Runs `task(i)` for i in [start, end) with at most `concurrency` in flight (node-redis pipelines them). */
export async function forEachConcurrently(
  start: number,
  end: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = start;
  const worker = async () => {
    while (next < end) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, end - start) }, worker));
}

export interface EntryShape {
  value: unknown;
  vector: Float32Array;
  text: string;
}

/** Writes one entry the way responses.store would (same fields, usage in meta), with its vector. */
export async function putEntry(tenant: TenantCache, i: number, entry: EntryShape): Promise<void> {
  const result = await tenant.put({
    key: { prompt: i },
    value: entry.value,
    text: entry.text,
    vector: entry.vector,
    meta: { model: 'gpt-4o-mini', usage: { inputTokens: 12, outputTokens: 300 }, custom: { i } },
  });
  if (!result.stored) throw new Error(`bench: entry ${i} was not stored (${result.reason})`);
}

export async function rawClient(url: string) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export type RawClient = Awaited<ReturnType<typeof rawClient>>;

/** FT.INFO as a flat name -> value record (from a RESP2 key/value array or a RESP3 map). */
export async function indexInfo(client: RawClient, indexName: string): Promise<Record<string, unknown>> {
  const reply = (await client.sendCommand(['FT.INFO', indexName])) as unknown;
  if (reply instanceof Map) return Object.fromEntries(reply);
  if (!Array.isArray(reply)) return reply as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1];
  return out;
}

/** Bytes the index itself holds (all of its structures), from FT.INFO. */
export function indexBytes(info: Record<string, unknown>): number {
  const megabytes = [
    'inverted_sz_mb',
    'vector_index_sz_mb',
    'offset_vectors_sz_mb',
    'doc_table_size_mb',
    'sortable_values_size_mb',
    'key_table_size_mb',
    'tag_overhead_sz_mb',
    'text_overhead_sz_mb',
  ].reduce((sum, field) => sum + (Number(info[field]) || 0), 0);
  return megabytes * 1024 * 1024;
}

/** Waits until an index has caught up with `documents` entries. */
export async function waitIndexed(client: RawClient, indexName: string, documents: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const info = await indexInfo(client, indexName);
    if (Number(info.num_docs) >= documents && Number(info.indexing) === 0) return;
    if (Date.now() > deadline)
      throw new Error(`bench: index ${indexName} never reached ${documents} documents`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface KeysMemory {
  keys: number;
  meanBytes: number;
  totalSampled: number;
  sampleKey?: string;
}

/** Mean MEMORY USAGE over up to `sample` keys matching `pattern`, and how many keys matched. */
export async function memoryOfKeys(client: RawClient, pattern: string, sample: number): Promise<KeysMemory> {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) {
    keys.push(...batch);
  }
  const picked =
    keys.length <= sample
      ? keys
      : Array.from({ length: sample }, (_, i) => keys[Math.floor((i * keys.length) / sample)] as string);
  let total = 0;
  for (const key of picked)
    total += Number(await client.sendCommand(['MEMORY', 'USAGE', key, 'SAMPLES', '0']));
  return {
    keys: keys.length,
    meanBytes: picked.length ? total / picked.length : 0,
    totalSampled: total,
    sampleKey: picked[0],
  };
}
