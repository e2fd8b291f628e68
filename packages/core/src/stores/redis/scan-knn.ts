// Client-side KNN for Redis without the Query Engine: cosine over the member set of one
// (tenant, scope, user), two round trips after SMEMBERS. Ids whose entry expired are pruned.

import { bytesToVector, cosineSimilarity } from '../../vectors.js';
import type { KnnMatch, KnnQuery, StoredEntry } from '../types.js';
import type { RedisConnection } from './connection.js';
import { ENTRY_FIELDS, type KeyLayout } from './keys.js';

export async function scanKnn(
  redis: RedisConnection,
  keys: KeyLayout,
  query: KnnQuery,
  toStored: (id: string, fields: Record<string, string | null | undefined>) => StoredEntry | undefined,
): Promise<KnnMatch[]> {
  const members = keys.scopeMembers(query.tenant, query.scope, query.user);
  const ids = (await redis.send(members, ['SMEMBERS', members])) as string[];
  if (ids.length === 0) return [];
  const vectors = await Promise.all(
    ids.map((id) => {
      const key = keys.entry(query.tenant, id);
      return redis.send(key, ['HGET', key, 'embedding'], true) as Promise<Buffer | null>;
    }),
  );
  const scored: { id: string; similarity: number }[] = [];
  const stale: string[] = [];
  vectors.forEach((bytes, i) => {
    const id = ids[i] as string;
    const vector = bytes ? bytesToVector(bytes, query.vector.length) : undefined;
    if (!vector) stale.push(id);
    else scored.push({ id, similarity: cosineSimilarity(query.vector, vector) });
  });
  if (stale.length > 0) void redis.send(members, ['SREM', members, ...stale]).catch(() => undefined);
  const best = scored.sort((a, b) => b.similarity - a.similarity).slice(0, query.k);
  const rows = await Promise.all(
    best.map(({ id }) => {
      const key = keys.entry(query.tenant, id);
      return redis.send(key, ['HMGET', key, ...ENTRY_FIELDS]) as Promise<(string | null)[]>;
    }),
  );
  const matches: KnnMatch[] = [];
  rows.forEach((values, i) => {
    const { id, similarity } = best[i] as { id: string; similarity: number };
    const entry = toStored(id, Object.fromEntries(ENTRY_FIELDS.map((field, j) => [field, values[j]])));
    if (entry) matches.push({ entry, similarity: Math.min(1, Math.max(0, similarity)) });
  });
  return matches;
}
