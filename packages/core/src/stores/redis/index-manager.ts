// Creating and checking the vector index: create it when missing, verify it when present (another
// process may have made it a moment ago), refuse one of another schema before anything is written.
import { DejaSchemaMismatchError, DejaStoreError } from '../../errors.js';
import type { RedisConnection } from './connection.js';
import { createIndexArgs, type IndexSpec } from './create-index.js';
import { type IndexDescription, indexDifferences, parseIndexInfo } from './index-info.js';
import { indexInfoArgs, LIST_INDEXES } from './server-commands.js';

/** True when the server answers FT.* (Redis Stack, Redis 8, Redis Cloud with search). */
export async function hasQueryEngine(redis: RedisConnection): Promise<boolean> {
  try {
    await redis.send(undefined, LIST_INDEXES);
    return true;
  } catch (error) {
    if (/unknown command|ERR unknown/i.test(String(error))) return false;
    throw error;
  }
}

export async function readIndexInfo(
  redis: RedisConnection,
  indexName: string,
): Promise<IndexDescription | undefined> {
  try {
    return parseIndexInfo(await redis.send(undefined, indexInfoArgs(indexName)));
  } catch (error) {
    if (/unknown index|no such index|not found/i.test(String(error))) return undefined;
    throw error;
  }
}

export async function ensureIndex(redis: RedisConnection, spec: IndexSpec): Promise<void> {
  const info = await readIndexInfo(redis, spec.indexName);
  if (!info) {
    try {
      await redis.send(undefined, createIndexArgs(spec));
      return;
    } catch (error) {
      // Another process created it first: verify theirs like any existing index.
      if (!/already exists/i.test(String(error))) throw error;
    }
  }
  const existing = info ?? (await readIndexInfo(redis, spec.indexName));
  if (!existing) throw new DejaStoreError(`Index ${spec.indexName} vanished while it was being checked`);
  const differences = indexDifferences(existing, spec);
  if (differences.length > 0) {
    throw new DejaSchemaMismatchError(
      `Index "${spec.indexName}" exists with another schema: ${differences.join('; ')}. ` +
        'Use another indexName/prefix, or drop the old index (FT.DROPINDEX) if its entries can go.',
    );
  }
}
