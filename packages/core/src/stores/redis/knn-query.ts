// FT.SEARCH queries: a KNN lookup inside one bucket (namespace, tenant, scope, user, model), the
// entries of one user, a count. Every tag value is checked to be a hex digest here, in one place,
// so a filter needs no escaping and no id can break out of it.
import { bucketOf } from './bucket.js';
import { NO_MODEL, READ_FIELDS, type TAG_FIELDS, VECTOR_FIELD } from './entry-schema.js';
import type { HybridPolicy } from './hybrid-policy.js';

export const DISTANCE_FIELD = '__distance';

export interface KnnQuerySpec {
  indexName: string;
  /** The bucket searched (knnBucket): one tag standing for namespace, tenant, scope, user and model. */
  bucket: string;
  vector: Buffer;
  k: number;
  efRuntime?: number;
  /** HNSW only: how RediSearch combines the filter with the graph; absent: its own choice. */
  hybridPolicy?: HybridPolicy;
}

/** The bucket a KNN of this namespace searches for a query's tenant, scope, user and model. */
export function knnBucket(
  ns: string,
  query: { tenant: string; scope: string; user: string; model?: string },
): string {
  return bucketOf({
    ns,
    tenant: query.tenant,
    scope: query.scope,
    user: query.user,
    model: query.model ?? NO_MODEL,
  });
}

const HEX = /^[0-9a-f]+$/;

type TagField = (typeof TAG_FIELDS)[number];

/** `@tenant:{…} @user:{…}` for hex digests; anything else is refused. */
export function tagFilter(tags: Partial<Record<TagField, string>>): string {
  return Object.entries(tags)
    .map(([name, value]) => {
      if (typeof value !== 'string' || !HEX.test(value))
        throw new Error(`knn-query: tag values must be hex digests, got ${JSON.stringify(value)}`);
      return `@${name}:{${value}}`;
    })
    .join(' ');
}

export function knnQueryArgs(spec: KnnQuerySpec): (string | Buffer)[] {
  // One tag, not five: RediSearch then knows how many entries the filter keeps (docs/scale.md).
  const filter = tagFilter({ bucket: spec.bucket });
  const policy = spec.hybridPolicy === undefined ? '' : ` HYBRID_POLICY ${spec.hybridPolicy}`;
  const ef = spec.efRuntime === undefined ? '' : ` EF_RUNTIME ${spec.efRuntime}`;
  const query = `(${filter})=>[KNN ${spec.k} @${VECTOR_FIELD} $vector${policy}${ef} AS ${DISTANCE_FIELD}]`;
  return [
    'FT.SEARCH',
    spec.indexName,
    query,
    'PARAMS',
    '2',
    'vector',
    spec.vector,
    'SORTBY',
    DISTANCE_FIELD,
    'ASC',
    'RETURN',
    String(READ_FIELDS.length + 1),
    ...READ_FIELDS,
    DISTANCE_FIELD,
    'LIMIT',
    '0',
    String(spec.k),
    'DIALECT',
    '2',
  ];
}

/** Entries of one user in a tenant written up to `before` (ms): forgetUser's sweep of the index. */
export function userEntriesQueryArgs(
  indexName: string,
  ns: string,
  tenant: string,
  user: string,
  before: number,
  limit: number,
): string[] {
  const query = `${tagFilter({ ns, tenant, user })} @created_at:[-inf ${before}]`;
  return ['FT.SEARCH', indexName, query, 'RETURN', '1', 'user', 'LIMIT', '0', String(limit), 'DIALECT', '2'];
}

/** Entries of a tenant carrying one tag, written before `before` (ms): deleteTagged's index pass. */
export function taggedEntriesQueryArgs(
  indexName: string,
  ns: string,
  tenant: string,
  tag: string,
  before: number,
  limit: number,
): string[] {
  const query = `${tagFilter({ ns, tenant, tags: tag })} @created_at:[-inf (${before}]`;
  return ['FT.SEARCH', indexName, query, 'RETURN', '1', 'tags', 'LIMIT', '0', String(limit), 'DIALECT', '2'];
}

/** How many entries one bucket holds (hybrid-policy.ts weighs it against the index's size). */
export function bucketCountArgs(indexName: string, bucket: string): string[] {
  return ['FT.SEARCH', indexName, tagFilter({ bucket }), 'LIMIT', '0', '0', 'DIALECT', '2'];
}

/** How many entries the index holds, of one tenant or of all. */
export function countEntriesArgs(indexName: string, ns: string, tenant?: string): string[] {
  const query = tenant === undefined ? tagFilter({ ns }) : tagFilter({ ns, tenant });
  return ['FT.SEARCH', indexName, query, 'LIMIT', '0', '0', 'DIALECT', '2'];
}

export interface SearchReply {
  total: number;
  documents: { key: string; fields: Record<string, string> }[];
}

/** FT.SEARCH reply (RESP2 array or RESP3 map, as the caller's client speaks) -> documents. */
export function parseSearchReply(reply: unknown): SearchReply {
  if (reply !== null && typeof reply === 'object' && !Array.isArray(reply))
    return parseResp3(reply as Record<string, unknown>);
  if (!Array.isArray(reply) || typeof reply[0] !== 'number') throw new Error('Unexpected FT.SEARCH reply');
  const documents: SearchReply['documents'] = [];
  for (let i = 1; i < reply.length; i += 2) {
    const key = String(reply[i]);
    const pairs = Array.isArray(reply[i + 1]) ? (reply[i + 1] as unknown[]) : [];
    const fields: Record<string, string> = {};
    for (let j = 0; j + 1 < pairs.length; j += 2) fields[String(pairs[j])] = String(pairs[j + 1]);
    documents.push({ key, fields });
  }
  return { total: reply[0], documents };
}

function parseResp3(reply: Record<string, unknown>): SearchReply {
  const map = reply instanceof Map ? Object.fromEntries(reply) : reply;
  const results = Array.isArray(map.results) ? map.results : [];
  return {
    total: Number(map.total_results ?? 0),
    documents: results.map((result: Record<string, unknown>) => {
      const attributes = (result.extra_attributes ?? {}) as Record<string, unknown>;
      const entries = attributes instanceof Map ? [...attributes.entries()] : Object.entries(attributes);
      return {
        key: String(result.id),
        fields: Object.fromEntries(entries.map(([name, value]) => [String(name), String(value)])),
      };
    }),
  };
}
