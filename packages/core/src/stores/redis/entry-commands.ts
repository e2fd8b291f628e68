// The MULTI that writes one entry: the hash, its TTL and its member sets, each with a TTL, so a
// process killed mid-write can never leave a key without one.

import { vectorToBytes } from '../../vectors.js';
import type { StoreEntry } from '../types.js';
import type { KeyLayout } from './keys.js';

export type Command = (string | Buffer)[];

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
  const fields: Command = [
    'text',
    entry.text,
    'tenant',
    entry.tenant,
    'user',
    entry.user,
    'scope',
    entry.scope,
    'created_at',
    String(entry.createdAt),
    'response',
    entry.response,
    'meta',
    entry.meta,
  ];
  if (entry.embedding) fields.push('embedding', vectorToBytes(entry.embedding));
  const commands: Command[] = [
    ['DEL', key],
    ['HSET', key, ...fields],
    ['PEXPIRE', key, ttl],
  ];
  // A set's TTL only grows: NX sets it on a new set, GT extends it for a longer-lived entry.
  const addMember = (setKey: string) =>
    commands.push(['SADD', setKey, entry.id], ['PEXPIRE', setKey, ttl, 'NX'], ['PEXPIRE', setKey, ttl, 'GT']);
  if (entry.embedding && scopeMembers) addMember(keys.scopeMembers(entry.tenant, entry.scope, entry.user));
  addMember(keys.userMembers(entry.tenant, entry.user));
  return commands;
}
