// The commands of one entry. The write is one Lua script: it checks the user's erasure fence, then
// writes the hash, its TTL and its member sets, each with a TTL, so a process killed mid-write can
// never leave a key without one, and a write that began before a forgetUser never lands after it.
import type { StoreEntry } from '../types.js';
import { entryHashFields, READ_FIELDS, VECTOR_SET_FIELD } from './entry-schema.js';
import type { KeyLayout } from './keys.js';
import { packedAppendCommands } from './packed-vectors.js';
import { vectorSetWriteCommands } from './vector-set-commands.js';

export type Command = (string | Buffer)[];

/** HMGET of the fields a read needs (decode with decodeEntryFields). */
export function getEntryArgs(key: string): string[] {
  return ['HMGET', key, ...READ_FIELDS];
}

export function deleteKeysArgs(keys: string[]): string[] {
  return ['DEL', ...keys];
}

/**
 * Deletes the entry hashes among KEYS whose `ns` field is ARGV[1] (this namespace's); returns how
 * many. A hash someone else wrote under our prefix is left alone. An entry in a vector set (Redis 8
 * without the Query Engine) leaves it in the same step: its id is the key's last part. pcall: a
 * set name that is not a vector set (tampered with) must not stop the delete.
 */
const DELETE_OWN_ENTRIES = `local deleted = 0
for _, key in ipairs(KEYS) do
  local fields = redis.call('HMGET', key, 'ns', '${VECTOR_SET_FIELD}')
  if fields[1] == ARGV[1] then
    if fields[2] then redis.pcall('VREM', fields[2], string.match(key, '[^:]*$')) end
    deleted = deleted + redis.call('DEL', key)
  end
end
return deleted`;

/** Keys must share one slot (one tenant's). */
export function deleteOwnEntriesArgs(keys: string[], ns: string): string[] {
  return ['EVAL', DELETE_OWN_ENTRIES, String(keys.length), ...keys, ns];
}

/**
 * KEYS[1..ARGV[1]]: the fences (the user's erasure, each tag's invalidation). ARGV[2]: when the
 * write began (ms); then each command as its argument count and arguments. Returns 0 (nothing
 * written) when a fence is later than ARGV[2].
 * The shebang matters: a script without one may write past maxmemory (Redis checks memory per
 * command only until a script has written); with it, a full Redis refuses the whole write up front.
 */
const FENCED_WRITE = `#!lua
for f = 1, tonumber(ARGV[1]) do
  local erased = redis.call('GET', KEYS[f])
  if erased and tonumber(erased) > tonumber(ARGV[2]) then return 0 end
end
local i = 3
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + n))
  i = i + n + 1
end
return 1`;

/** The EVAL of `commands`, run only when no fence is later than `startedAt`. */
export function fencedWriteArgs(fenceKeys: string[], startedAt: number, commands: Command[]): Command {
  // Every key the commands touch is declared (a cluster routes and checks by KEYS).
  const touched = [...new Set(commands.map((command) => String(command[1])))].filter(
    (key) => !fenceKeys.includes(key),
  );
  const keys = [...fenceKeys, ...touched];
  const argv: (string | Buffer)[] = [String(fenceKeys.length), String(startedAt)];
  for (const command of commands) argv.push(String(command.length), ...command);
  return ['EVAL', FENCED_WRITE, String(keys.length), ...keys, ...argv];
}

/** Where an entry's vector goes for KNN: the Query Engine's index reads the hash itself. */
export const SEMANTIC_PATH = { index: 'index', packed: 'packed', vectorSet: 'vector-set' } as const;
export type SemanticPath = (typeof SEMANTIC_PATH)[keyof typeof SEMANTIC_PATH];

/**
 * DEL first: a replaced entry must not keep an old vector. `path` 'packed': also append the vector
 * to its (tenant, scope, user, model) packed key, which the client-side KNN reads when there is
 * no index (packed-vectors.ts); 'vector-set': VADD it to that place's vector set (Redis 8,
 * vector-set-commands.ts). Either key is listed among the user's keys so forgetUser removes it.
 */
export function putEntryCommands(
  keys: KeyLayout,
  entry: StoreEntry,
  ttlMs: number,
  path: SemanticPath,
  ns: string,
): Command[] {
  const key = keys.entry(entry.tenant, entry.id);
  const ttl = String(Math.max(1, Math.round(ttlMs)));
  const [beforeEntry, afterEntry] =
    entry.embedding && path === SEMANTIC_PATH.vectorSet ? vectorSetWriteCommands(keys, entry, ttl) : [[], []];
  const commands: Command[] = [
    ...beforeEntry,
    ['DEL', key],
    ['HSET', key, ...entryHashFields(entry, ns)],
    ...afterEntry,
    ['PEXPIRE', key, ttl],
  ];
  // A set's TTL only grows: NX sets it on a new set, GT extends it for a longer-lived entry.
  const addMember = (setKey: string, member: string) =>
    commands.push(['SADD', setKey, member], ['PEXPIRE', setKey, ttl, 'NX'], ['PEXPIRE', setKey, ttl, 'GT']);
  // The packed vectors of the entry's (tenant, scope, user, model), listed among the user's keys.
  if (entry.embedding && path === SEMANTIC_PATH.packed)
    commands.push(...packedAppendCommands(keys, entry, ttl));
  addMember(keys.userMembers(entry.tenant, entry.user), entry.id);
  // One member set per tag, in the tenant's slot: deleteTagged finds the entries without an index.
  for (const tag of entry.tags ?? []) addMember(keys.tagMembers(entry.tenant, tag), entry.id);
  return commands;
}
