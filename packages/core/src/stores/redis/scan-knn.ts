// Client-side KNN for Redis without the Query Engine, over the packed vectors of one (tenant,
// scope, user) (packed-vectors.ts): STRLEN, then the newest SCOPE_VECTOR_LIMIT records in
// pipelined GETRANGE chunks, each scored (int8 dot product) as it arrives, with a turn of the
// event loop after each (replies that arrived together would otherwise be scored in one stretch:
// `await` on a settled promise does not let the loop turn), so the loop is never held for longer
// than one chunk (about 1-2 ms at 384 or 1536 dimensions); then one pipelined read of the best candidates' hashes, whose float32 vectors give the
// exact similarity and whose absence marks a stale record. Stale, duplicate or surplus records
// trigger a compaction in the background.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { bytesToVector, cosineSimilarity } from '../../vectors.js';
import type { KnnMatch, KnnQuery, StoredEntry, StoreProblem } from '../types.js';
import type { RedisConnection } from './connection.js';
import { getEntryArgs } from './entry-commands.js';
import { VECTOR_FIELD } from './entry-schema.js';
import type { KeyLayout } from './keys.js';
import { compactPacked } from './packed-compaction.js';
import { HEADER_BYTES, packedKey, recordBytes, recordId, SCOPE_VECTOR_LIMIT } from './packed-vectors.js';
import { hashFieldArgs } from './server-commands.js';

/** Records scored per GETRANGE chunk: bounds both the reply size and the time the loop is held. */
const CHUNK_BYTES = 1 << 20;
/** Candidates re-checked exactly: int8 scores are within ~0.01 of the cosine, so a few suffice. */
const candidateCount = (k: number) => Math.max(16, 4 * k);

/** An entry hash's READ_FIELDS values -> the entry; undefined (or a marker) when it is none of ours. */
export type DecodeEntry = (id: string, fields: (string | null)[]) => StoredEntry | string | undefined;

export async function scanKnn(
  redis: RedisConnection,
  keys: KeyLayout,
  query: KnnQuery,
  decode: DecodeEntry,
  report?: (problem: StoreProblem) => void,
): Promise<KnnMatch[]> {
  const dimensions = query.vector.length;
  const key = packedKey(keys, query, dimensions);
  const size = recordBytes(dimensions);
  const length = Number(await redis.send(key, ['STRLEN', key]));
  const stored = Math.floor(Math.max(0, length - HEADER_BYTES) / size);
  if (stored === 0) return [];
  const first = Math.max(0, stored - SCOPE_VECTOR_LIMIT);
  const unit = normalised(query.vector);

  // Every chunk is requested at once (one pipelined burst) and scored in order as replies arrive.
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / size));
  const chunks: Promise<Buffer | null>[] = [];
  for (let from = first; from < stored; from += perChunk) {
    const start = HEADER_BYTES + from * size;
    const end = HEADER_BYTES + Math.min(stored, from + perChunk) * size - 1;
    chunks.push(
      redis.send(key, ['GETRANGE', key, String(start), String(end)], true) as Promise<Buffer | null>,
    );
  }
  // Awaited one by one: once one fails the loop stops, and the others' failures are handled here
  // (not left as unhandled rejections when Redis goes away mid-read).
  for (const chunk of chunks) chunk.catch(() => undefined);
  const best = new TopCandidates(candidateCount(query.k));
  await scoreChunks(chunks, unit, size, best);

  const candidates = best.ids();
  const reads = candidates.map((id) => {
    const entryKey = keys.entry(query.tenant, id);
    return Promise.all([
      redis.send(entryKey, hashFieldArgs(entryKey, VECTOR_FIELD), true) as Promise<Buffer | null>,
      redis.send(entryKey, getEntryArgs(entryKey)) as Promise<(string | null)[]>,
    ]);
  });
  for (const read of reads) read.catch(() => undefined);
  const matches: KnnMatch[] = [];
  let stale = 0;
  for (const [i, read] of reads.entries()) {
    const [vectorBytes, fields] = await read;
    const vector = vectorBytes ? bytesToVector(vectorBytes, dimensions) : undefined;
    // A damaged vector (another size) is skipped and reported; its entry's other data stays.
    if (vectorBytes && !vector)
      report?.({
        kind: 'corrupt-entry',
        operation: 'knn',
        error: new Error(
          `entry ${candidates[i]}: its vector has ${vectorBytes.byteLength} bytes, not the ` +
            `${dimensions * 4} of a ${dimensions}-dimension vector (size mismatch); skipped`,
        ),
      });
    const entry = vector && decode(candidates[i] as string, fields);
    if (!vector || !entry || typeof entry === 'string') {
      stale++;
      continue;
    }
    const similarity = Math.min(1, Math.max(0, cosineSimilarity(query.vector, vector)));
    matches.push({ entry, similarity });
  }
  if (stale > 0 || best.duplicates > 0 || first > 0 || stored > SCOPE_VECTOR_LIMIT)
    compactPacked(redis, keys, query.tenant, key, dimensions);
  return matches.sort((a, b) => b.similarity - a.similarity).slice(0, query.k);
}

/**
 * Scores the chunks in order as they arrive, with a turn of the event loop between two chunks:
 * replies that arrived together are settled promises, and awaiting one does not let the loop
 * turn, so without the yield ten thousand 1536-d records would be scored in one stretch.
 */
export async function scoreChunks(
  chunks: Promise<Buffer | null>[],
  unit: Float32Array,
  size: number,
  best: TopCandidates,
): Promise<void> {
  for (const [index, chunk] of chunks.entries()) {
    const bytes = await chunk;
    if (bytes) scoreChunk(bytes, unit, size, best);
    if (index < chunks.length - 1) await yieldToLoop();
  }
}

/** Scores one chunk of records (int8 dot product with the unit query) into `best`. */
function scoreChunk(bytes: Buffer, unit: Float32Array, size: number, best: TopCandidates): void {
  const dimensions = unit.length;
  const quantised = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset + size <= bytes.length; offset += size) {
    const scale = bytes.readFloatLE(offset + 33);
    let dot = 0;
    const base = offset + 37;
    for (let j = 0; j < dimensions; j++) dot += (unit[j] as number) * (quantised[base + j] as number);
    best.offer(dot * scale, bytes, offset);
  }
}

function normalised(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return vector.map((value) => value / norm);
}

/** The `size` best scores seen, by id (a replaced entry's records keep the best score). */
export class TopCandidates {
  private readonly scores: number[] = [];
  private readonly idsByPosition: string[] = [];
  duplicates = 0;

  constructor(private readonly size: number) {}

  offer(score: number, records: Buffer, offset: number): void {
    if (this.scores.length >= this.size && score <= (this.scores.at(-1) as number)) return;
    const id = recordId(records, offset);
    const existing = this.idsByPosition.indexOf(id);
    if (existing !== -1) {
      this.duplicates++;
      if ((this.scores[existing] as number) >= score) return;
      this.scores.splice(existing, 1);
      this.idsByPosition.splice(existing, 1);
    }
    let at = this.scores.length;
    while (at > 0 && (this.scores[at - 1] as number) < score) at--;
    this.scores.splice(at, 0, score);
    this.idsByPosition.splice(at, 0, id);
    if (this.scores.length > this.size) {
      this.scores.pop();
      this.idsByPosition.pop();
    }
  }

  ids(): string[] {
    return [...this.idsByPosition];
  }
}
