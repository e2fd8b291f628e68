// The vectors of one (tenant, scope, user), packed into one string key for the client-side KNN
// (Redis without the Query Engine). A lookup reads them with a few GETRANGEs instead of one HGET
// per entry, and scores int8 copies (a quarter of the bytes of float32); the best few are then
// re-checked exactly against the float32 vectors of their entry hashes, which also drops records
// whose entry expired or was deleted.
//
// Layout: an 8-byte header (u32 generation, u32 dimensions, little-endian), then fixed-size
// records appended by each write: id (33 bytes), scale (f32), int8 × dimensions. A write appends
// (the same MULTI as the entry), so records of replaced, deleted or expired entries linger until a
// compaction rewrites the key; a compaction is a compare-and-set on the generation, so records
// appended meanwhile are kept and two compactions never interleave.
//
// Size limit: a scope holds at most SCOPE_VECTOR_LIMIT vectors. Lookups read only the newest that
// many; a compaction keeps the newest that many live ones. Older entries leave semantic search
// (they still answer their exact key until their TTL).
import type { StoreEntry } from '../types.js';
import type { KeyLayout } from './keys.js';

/** Most vectors one (tenant, scope, user) keeps for the client-side KNN. */
export const SCOPE_VECTOR_LIMIT = 10_000;
export const HEADER_BYTES = 8;
const ID_BYTES = 33;
const HEX_ID = /^[0-9a-f]{64}$/;
const PACKED_HEX = 0xff;

export function recordBytes(dimensions: number): number {
  return ID_BYTES + 4 + dimensions;
}

/** The packed key of one (tenant, scope, user, model); the dimension is in the name, so sizes never mix. */
export function packedKey(
  keys: KeyLayout,
  place: { tenant: string; scope: string; user: string; model?: string },
  dimensions: number,
): string {
  return `${keys.scopeMembers(place.tenant, place.scope, place.user, place.model)}:vectors:${dimensions}`;
}

export function packedHeader(generation: number, dimensions: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(generation >>> 0, 0);
  header.writeUInt32LE(dimensions, 4);
  return header;
}

/** One record: the id, and the vector normalised then quantised to int8 with its scale. */
export function packRecord(id: string, vector: Float32Array): Buffer | undefined {
  const record = Buffer.alloc(recordBytes(vector.length));
  if (HEX_ID.test(id)) {
    record[0] = PACKED_HEX;
    record.write(id, 1, 'hex');
  } else {
    const bytes = Buffer.from(id);
    // The Store contract's ids are sha256 hex; anything else must fit the field or stay unpacked.
    if (bytes.length > ID_BYTES - 1) return undefined;
    record[0] = bytes.length;
    bytes.copy(record, 1);
  }
  let norm = 0;
  let max = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (!(norm > 0) || !Number.isFinite(norm)) return undefined;
  for (const value of vector) max = Math.max(max, Math.abs(value / norm));
  const scale = max / 127;
  record.writeFloatLE(scale, ID_BYTES);
  const offset = ID_BYTES + 4;
  for (let j = 0; j < vector.length; j++)
    record.writeInt8(Math.round((vector[j] as number) / norm / scale), offset + j);
  return record;
}

export function recordId(records: Buffer, offset: number): string {
  const length = records[offset] as number;
  if (length === PACKED_HEX) return records.toString('hex', offset + 1, offset + ID_BYTES);
  return records.toString('utf8', offset + 1, offset + 1 + length);
}

/** The commands a write adds to its MULTI: header if new, the record, TTLs, the user's key set. */
export function packedAppendCommands(keys: KeyLayout, entry: StoreEntry, ttl: string): (string | Buffer)[][] {
  const vector = entry.embedding;
  const record = vector && packRecord(entry.id, vector);
  if (!vector || !record) return [];
  const key = packedKey(keys, entry, vector.length);
  // Listed with the user's other keys: forgetUser deletes them with the user's entries.
  const registry = keys.userKeys(entry.tenant, entry.user);
  const commands: (string | Buffer)[][] = [
    ['SET', key, packedHeader(0, vector.length), 'NX'],
    ['APPEND', key, record],
  ];
  // A key's TTL only grows: NX sets it on a new key, GT extends it for a longer-lived entry.
  for (const target of [key, registry])
    commands.push(['PEXPIRE', target, ttl, 'NX'], ['PEXPIRE', target, ttl, 'GT']);
  commands.splice(2, 0, ['SADD', registry, key]);
  return commands;
}

/**
 * Compare-and-set rewrite: when the generation still matches, replace the first `length` bytes
 * (what the compaction read) with `head` (new header + kept records), keeping whatever was
 * appended after them and the key's TTL.
 */
// The shebang: a full Redis refuses it up front (see FENCED_WRITE in entry-commands.ts).
export const COMPACT_SCRIPT = `#!lua
local current = redis.call('GETRANGE', KEYS[1], 0, 3)
if current ~= ARGV[1] then return 0 end
local tail = redis.call('GETRANGE', KEYS[1], tonumber(ARGV[2]), -1)
redis.call('SET', KEYS[1], ARGV[3] .. tail, 'KEEPTTL')
return 1`;

export function compactArgs(
  key: string,
  generation: Buffer,
  length: number,
  head: Buffer,
): (string | Buffer)[] {
  return ['EVAL', COMPACT_SCRIPT, '1', key, generation, String(length), head];
}
