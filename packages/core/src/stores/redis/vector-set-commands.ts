// The commands of the vector-set path: Redis 8 without the Query Engine, where vector sets (VADD /
// VSIM) are built in. One vector set per (tenant, scope, user, model, dimension) holds the vectors
// of its entries, the element being the entry id, so a lookup is one VSIM on the server instead
// of reading every packed vector into this process (packed-vectors.ts).
//
// NOQUANT, not Q8 (the server's default): VSIM's score is then the cosine of the float32 vectors
// (to float rounding), the same number the index and the scan paths compute, so the acceptance
// rule (a static band, a learned bound) sees what it was tuned on, without reading each
// candidate's float32 vector back for an exact re-check as the int8 scan must. Q8 would take a
// quarter of the vector memory in the set (the entry hash keeps its float32 copy either way) but
// move scores by up to about 0.01, enough to flip a decision at a threshold.
//
// Membership rule: an element belongs in a set exactly while its entry's hash names that set in
// its VECTOR_SET_FIELD. Deletes remove it in the same script as the hash (entry-commands.ts,
// tag-commands.ts); what they cannot see (an entry that expired, or was replaced under another
// scope or model) is removed by the next lookup that meets it (PRUNE_ELEMENTS, checked atomically,
// so a lookup never removes an element that a concurrent write has just made current).
import { vectorToBytes } from '../../vectors.js';
import type { StoreEntry } from '../types.js';
import { READ_FIELDS, VECTOR_SET_FIELD } from './entry-schema.js';
import type { KeyLayout } from './keys.js';

type Command = (string | Buffer)[];

/** Quantisation of every set deja writes (one set must never mix them: VADD refuses). */
export const VECTOR_SET_QUANTISATION = 'NOQUANT';

/** The vector set of one (tenant, scope, user, model); the dimension is in the name, so sizes never mix. */
export function vectorSetKey(
  keys: KeyLayout,
  place: { tenant: string; scope: string; user: string; model?: string },
  dimensions: number,
): string {
  return `${keys.scopeMembers(place.tenant, place.scope, place.user, place.model)}:vset:${dimensions}`;
}

/** A vector VADD can take: finite, not all zeros (a cosine needs a length). */
function usable(vector: Float32Array): boolean {
  let norm = 0;
  for (const value of vector) norm += value * value;
  return norm > 0 && Number.isFinite(norm);
}

/**
 * What a write adds to its script for the vector-set path: the VADD first (a set of another type or
 * quantisation under that name fails the script before anything else is written), the set's TTL
 * (NX sets it on a new set, GT extends it for a longer-lived entry: never shorter than its
 * entries'), the set listed among the user's keys (forgetUser deletes it), and the entry's
 * VECTOR_SET_FIELD, written after the entry's own HSET. Returns [before, after] the entry commands.
 */
export function vectorSetWriteCommands(
  keys: KeyLayout,
  entry: StoreEntry,
  ttl: string,
): [before: Command[], after: Command[]] {
  const vector = entry.embedding;
  if (!vector || !usable(vector)) return [[], []];
  const key = vectorSetKey(keys, entry, vector.length);
  const registry = keys.userKeys(entry.tenant, entry.user);
  const before: Command[] = [
    ['VADD', key, 'FP32', vectorToBytes(vector), entry.id, VECTOR_SET_QUANTISATION],
    ['PEXPIRE', key, ttl, 'NX'],
    ['PEXPIRE', key, ttl, 'GT'],
    ['SADD', registry, key],
    ['PEXPIRE', registry, ttl, 'NX'],
    ['PEXPIRE', registry, ttl, 'GT'],
  ];
  return [before, [['HSET', keys.entry(entry.tenant, entry.id), VECTOR_SET_FIELD, key]]];
}

/** HMGET of an entry's READ_FIELDS and, last, the vector set it names (a lookup checks it is this one). */
export function entryInSetArgs(key: string): string[] {
  return ['HMGET', key, ...READ_FIELDS, VECTOR_SET_FIELD];
}

/** VSIM of the `count` nearest elements, with their scores. */
export function similarArgs(key: string, vector: Float32Array, count: number): Command {
  return ['VSIM', key, 'FP32', vectorToBytes(vector), 'WITHSCORES', 'COUNT', String(count)];
}

/** VSIM's score is (1 + cosine) / 2, in [0, 1]; deja's similarity is the cosine, clamped to [0, 1]. */
export function similarityFromVectorSetScore(score: number): number {
  return Math.min(1, Math.max(0, 2 * score - 1));
}

export interface SimilarElement {
  id: string;
  similarity: number;
}

/**
 * VSIM ... WITHSCORES -> elements, best first. RESP2 answers a flat [element, score, ...] array;
 * RESP3 (a client the user made with RESP: 3) a map of element -> score.
 */
export function parseSimilarReply(reply: unknown): SimilarElement[] {
  const pairs: [unknown, unknown][] = [];
  if (Array.isArray(reply))
    for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([reply[i], reply[i + 1]]);
  else if (reply instanceof Map) pairs.push(...reply.entries());
  else if (reply && typeof reply === 'object') pairs.push(...Object.entries(reply));
  return pairs
    .map(([id, score]) => ({ id: String(id), similarity: similarityFromVectorSetScore(Number(score)) }))
    .filter((element) => Number.isFinite(element.similarity))
    .sort((a, b) => b.similarity - a.similarity);
}

/**
 * KEYS[1]: a vector set; KEYS[2..]: entry keys; ARGV: their ids, in KEYS order. Removes each id
 * whose entry no longer names this set (expired, deleted, replaced elsewhere, not ours); an entry
 * rewritten into this set since the lookup read it stays. Returns how many it removed.
 */
const PRUNE_ELEMENTS = `local removed = 0
for i = 2, #KEYS do
  if redis.call('HGET', KEYS[i], '${VECTOR_SET_FIELD}') ~= KEYS[1] then
    removed = removed + redis.call('VREM', KEYS[1], ARGV[i - 1])
  end
end
return removed`;

/** Entry keys and ids in one tenant's slot (the set's). */
export function pruneElementsArgs(key: string, entries: { key: string; id: string }[]): Command {
  return [
    'EVAL',
    PRUNE_ELEMENTS,
    String(entries.length + 1),
    key,
    ...entries.map((entry) => entry.key),
    ...entries.map((entry) => entry.id),
  ];
}

/** Answers with the command's description on a server with vector sets, with nothing elsewhere. */
export const VADD_COMMAND_INFO: Command = ['COMMAND', 'INFO', 'VADD'];

/** True when COMMAND INFO VADD described the command (Redis 7 answers [nil]). */
export function parseHasVectorSets(reply: unknown): boolean {
  return Array.isArray(reply) && Array.isArray(reply[0]) && String(reply[0][0]).toLowerCase() === 'vadd';
}
