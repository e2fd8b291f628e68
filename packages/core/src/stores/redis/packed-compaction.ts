// Rewrites a packed-vectors key (packed-vectors.ts) without the records of entries that are gone,
// without older duplicates of a replaced entry, and without the oldest records beyond
// SCOPE_VECTOR_LIMIT. Runs in the background after a lookup saw something to drop; at most one at
// a time per key and per process, and not again within MIN_INTERVAL_MS (a scope that keeps
// over-filling is compacted now and then, not on every lookup). Failures are dropped: the next
// lookup is still correct (stale records never answer: the exact re-check reads the entry hash).
import type { RedisConnection } from './connection.js';
import type { KeyLayout } from './keys.js';
import {
  compactArgs,
  HEADER_BYTES,
  packedHeader,
  recordBytes,
  recordId,
  SCOPE_VECTOR_LIMIT,
} from './packed-vectors.js';

const MIN_INTERVAL_MS = 10_000;
/** EXISTS checks pipelined per batch (they share the tenant's slot, so one node answers all). */
const EXISTS_BATCH = 1_000;
const running = new Map<string, number>();

export function compactPacked(
  redis: RedisConnection,
  keys: KeyLayout,
  tenant: string,
  key: string,
  dimensions: number,
): void {
  const last = running.get(key);
  if (last !== undefined && (last === 0 || Date.now() - last < MIN_INTERVAL_MS)) return;
  running.set(key, 0);
  compact(redis, keys, tenant, key, dimensions)
    .catch(() => undefined)
    .finally(() => running.set(key, Date.now()));
  // Bounded: forget keys compacted long ago.
  if (running.size > 10_000)
    for (const [name, at] of running) if (at !== 0 && Date.now() - at > MIN_INTERVAL_MS) running.delete(name);
}

/** Reads, filters and writes back; returns the number of records kept, or undefined if it lost a race. */
export async function compact(
  redis: RedisConnection,
  keys: KeyLayout,
  tenant: string,
  key: string,
  dimensions: number,
): Promise<number | undefined> {
  const blob = (await redis.send(key, ['GET', key], true)) as Buffer | null;
  if (!blob || blob.length < HEADER_BYTES) return undefined;
  const size = recordBytes(dimensions);
  const count = Math.floor((blob.length - HEADER_BYTES) / size);
  const length = HEADER_BYTES + count * size;
  // Newest first: the last record of an id is its current vector.
  const newest = new Map<string, number>();
  for (let i = count - 1; i >= 0; i--) {
    const id = recordId(blob, HEADER_BYTES + i * size);
    if (!newest.has(id)) newest.set(id, i);
  }
  const ids = [...newest.keys()];
  const live: number[] = [];
  for (let from = 0; from < ids.length && live.length < SCOPE_VECTOR_LIMIT; from += EXISTS_BATCH) {
    const batch = ids.slice(from, from + EXISTS_BATCH);
    const exists = await Promise.all(
      batch.map((id) => {
        const entryKey = keys.entry(tenant, id);
        return redis.send(entryKey, ['EXISTS', entryKey]);
      }),
    );
    batch.forEach((id, i) => {
      if (Number(exists[i]) === 1 && live.length < SCOPE_VECTOR_LIMIT) live.push(newest.get(id) as number);
    });
  }
  live.sort((a, b) => a - b);
  const generation = blob.readUInt32LE(0);
  const head = Buffer.concat([
    packedHeader(generation + 1, dimensions),
    ...live.map((i) => blob.subarray(HEADER_BYTES + i * size, HEADER_BYTES + (i + 1) * size)),
  ]);
  const written = await redis.send(key, compactArgs(key, blob.subarray(0, 4), length, head));
  return Number(written) === 1 ? live.length : undefined;
}
