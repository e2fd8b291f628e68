// The commands of one entry. The write is one MULTI: the hash, its TTL and its member sets, each
// with a TTL, so a process killed mid-write can never leave a key without one.
import type { StoreEntry } from '../types.js';
import { entryHashFields, READ_FIELDS } from './entry-schema.js';
import type { KeyLayout } from './keys.js';

export type Command = (string | Buffer)[];

/** HMGET of the fields a read needs (decode with decodeEntryFields). */
export function getEntryArgs(key: string): string[] {
  return ['HMGET', key, ...READ_FIELDS];
}

export function deleteKeysArgs(keys: string[]): string[] {
  return ['DEL', ...keys];
}

/**
 * DEL first: a replaced entry must not keep an old vector. `scopeMembers`: also list the entry in
 * its (tenant, scope, user) set, which the client-side KNN scans when there is no index.
 */
export function putEntryCommands(
  keys: KeyLayout,
  entry: StoreEntry,
  ttlMs: number,
  scopeMembers: boolean,
): Command[] {
  const key = keys.entry(entry.tenant, entry.id);
  const ttl = String(Math.max(1, Math.round(ttlMs)));
  const commands: Command[] = [
    ['DEL', key],
    ['HSET', key, ...entryHashFields(entry)],
    ['PEXPIRE', key, ttl],
  ];
  // A set's TTL only grows: NX sets it on a new set, GT extends it for a longer-lived entry.
  const addMember = (setKey: string) =>
    commands.push(['SADD', setKey, entry.id], ['PEXPIRE', setKey, ttl, 'NX'], ['PEXPIRE', setKey, ttl, 'GT']);
  if (entry.embedding && scopeMembers) addMember(keys.scopeMembers(entry.tenant, entry.scope, entry.user));
  addMember(keys.userMembers(entry.tenant, entry.user));
  return commands;
}
