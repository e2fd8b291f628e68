// Creating and checking the vector index: create it when missing, verify it when present (another
// process may have made it a moment ago), refuse one of another schema before anything is written.
// On a cluster the Query Engine is checked on every master; the indexes there are per tenant and
// are created where the tenant's slot lives (index-search.ts).
import { DejaSchemaMismatchError, DejaStoreError } from '../../errors.js';
import type { RedisConnection } from './connection.js';
import { createIndexArgs, type IndexSpec } from './create-index.js';
import { ADDED_LATER_FIELDS } from './entry-schema.js';
import { type IndexDescription, indexDifferences, parseIndexInfo } from './index-info.js';
import { indexInfoArgs, LIST_INDEXES } from './server-commands.js';

/** FT.ALTER that adds one field to an existing index. */
export function alterAddFieldArgs(indexName: string, field: string, attribute: string): string[] {
  return ['FT.ALTER', indexName, 'SCHEMA', 'ADD', field, attribute];
}

/** Sends one command to one server (a standalone Redis, or one master of a cluster). */
export type SendToNode = (args: (string | Buffer)[]) => Promise<unknown>;

/** The servers an index lives on: the one server, or every master of a cluster. */
export async function indexNodes(redis: RedisConnection): Promise<SendToNode[]> {
  if (!redis.shards) return [(args) => redis.send(undefined, args)];
  return (await redis.shards.masters()).map((node) => (args) => node.send(args));
}

/** True when the server (on a cluster: every master) answers FT.* (Redis Stack, Redis 8, Redis Cloud). */
export async function hasQueryEngine(redis: RedisConnection): Promise<boolean> {
  // One master without it would leave its tenants without semantic lookup: then scan everywhere.
  const answers = await Promise.all((await indexNodes(redis)).map(nodeHasQueryEngine));
  return answers.length > 0 && answers.every(Boolean);
}

async function nodeHasQueryEngine(send: SendToNode): Promise<boolean> {
  try {
    await send(LIST_INDEXES);
    return true;
  } catch (error) {
    if (/unknown command|ERR unknown/i.test(String(error))) return false;
    throw error;
  }
}

/** The index as one server sees it, or undefined when it has none of that name. */
export async function readNodeIndexInfo(
  send: SendToNode,
  indexName: string,
): Promise<IndexDescription | undefined> {
  try {
    return parseIndexInfo(await send(indexInfoArgs(indexName)));
  } catch (error) {
    if (/unknown index|no such index|not found/i.test(String(error))) return undefined;
    throw error;
  }
}

/** The index of a standalone Redis (a cluster has one index per tenant: index-search.ts). */
export function readIndexInfo(
  redis: RedisConnection,
  indexName: string,
): Promise<IndexDescription | undefined> {
  return readNodeIndexInfo((args) => redis.send(undefined, args), indexName);
}

/** Creates or verifies the index of a standalone Redis. */
export function ensureIndex(redis: RedisConnection, spec: IndexSpec): Promise<void> {
  return ensureNodeIndex((args) => redis.send(undefined, args), spec);
}

/** Creates or verifies the index on one server (on a cluster: a tenant's index on its slot's master). */
export async function ensureNodeIndex(send: SendToNode, spec: IndexSpec): Promise<void> {
  const info = await readNodeIndexInfo(send, spec.indexName);
  if (!info) {
    try {
      await send(createIndexArgs(spec));
      return;
    } catch (error) {
      // Another process created it first: verify theirs like any existing index.
      if (!/already exists/i.test(String(error))) throw error;
    }
  }
  let existing = info ?? (await readNodeIndexInfo(send, spec.indexName));
  // An index made before a field was added to the schema gets it now; then it is checked as usual.
  const missing = ADDED_LATER_FIELDS.filter(({ name }) => existing && existing.fields[name] === undefined);
  if (existing && missing.length > 0) {
    for (const field of missing) await send(alterAddFieldArgs(spec.indexName, field.name, field.attribute));
    existing = await readNodeIndexInfo(send, spec.indexName);
  }
  if (!existing) throw new DejaStoreError(`Index ${spec.indexName} vanished while it was being checked`);
  const differences = indexDifferences(existing, spec);
  if (differences.length > 0) {
    throw new DejaSchemaMismatchError(
      `Index "${spec.indexName}" exists with another schema: ${differences.join('; ')}. ` +
        'Use another indexName/prefix, or drop the old index (FT.DROPINDEX) if its entries can go.',
    );
  }
}
