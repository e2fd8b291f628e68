// The bucket of an entry: one TAG value standing for its (namespace, tenant, scope, user, model).
// A KNN filters on this one tag instead of five: RediSearch intersects five tag lists per query
// and, on HNSW, misjudges how many entries the intersection holds (it then brute-forces a large
// bucket: 920 µs against 183-220 µs with one tag and BATCHES, 10k entries, docs/scale.md). The
// value is a SHA-256 of the five parts, each length-prefixed so no two tuples share an input: two
// buckets collide only if SHA-256 does, so the one tag is exactly as strict as the five were. Every
// read still checks `ns` itself (entry-schema.ts).
import { createHash } from 'node:crypto';

export interface BucketParts {
  ns: string;
  tenant: string;
  scope: string;
  user: string;
  /** The model tag as written (entry-schema.ts NO_MODEL when the entry has none). */
  model: string;
}

/** Bumped if the digest's input ever changes: old and new buckets then never meet. */
const BUCKET_VERSION = 'deja-bucket:1';

/** The bucket tag value (64 hex) of entries with these parts. */
export function bucketOf(parts: BucketParts): string {
  const hash = createHash('sha256').update(BUCKET_VERSION);
  for (const part of [parts.ns, parts.tenant, parts.scope, parts.user, parts.model])
    hash.update(`\n${Buffer.byteLength(part, 'utf8')}:${part}`, 'utf8');
  return hash.digest('hex');
}
