// Client-side KNN for Redis without the Query Engine: cosine over the member set of one
// (tenant, scope, user), two round trips after SMEMBERS. Ids whose entry expired are pruned.
import { bytesToVector, cosineSimilarity } from '../../vectors.js';
import type { KnnMatch, KnnQuery } from '../types.js';
import type { RedisConnection } from './connection.js';
import { getEntryArgs } from './entry-commands.js';
import { decodeEntryFields, VECTOR_FIELD } from './entry-schema.js';
import type { KeyLayout } from './keys.js';
import { hashFieldArgs, removeMembersArgs, setMembersArgs } from './server-commands.js';

export async function scanKnn(redis: RedisConnection, keys: KeyLayout, query: KnnQuery): Promise<KnnMatch[]> {
  const members = keys.scopeMembers(query.tenant, query.scope, query.user);
  const ids = (await redis.send(members, setMembersArgs(members))) as string[];
  if (ids.length === 0) return [];
  const vectors = await Promise.all(
    ids.map((id) => {
      const key = keys.entry(query.tenant, id);
      return redis.send(key, hashFieldArgs(key, VECTOR_FIELD), true) as Promise<Buffer | null>;
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
  if (stale.length > 0) void redis.send(members, removeMembersArgs(members, stale)).catch(() => undefined);
  const best = scored.sort((a, b) => b.similarity - a.similarity).slice(0, query.k);
  const rows = await Promise.all(
    best.map(({ id }) => {
      const key = keys.entry(query.tenant, id);
      return redis.send(key, getEntryArgs(key)) as Promise<(string | null)[]>;
    }),
  );
  const matches: KnnMatch[] = [];
  rows.forEach((values, i) => {
    const { id, similarity } = best[i] as { id: string; similarity: number };
    const entry = decodeEntryFields(id, values);
    if (entry) matches.push({ entry, similarity: Math.min(1, Math.max(0, similarity)) });
  });
  return matches;
}
