// The HNSW hybrid policy of one KNN (hybrid-policy.ts), from bucket and index sizes known in
// process (bucket-sizes.ts) and refreshed behind lookups on the index the KNN goes to.
import type { StoreProblem } from '../types.js';
import { bucketSizes } from './bucket-sizes.js';
import type { RedisConnection } from './connection.js';
import { type HybridPolicy, hybridPolicyFor } from './hybrid-policy.js';
import type { IndexSearch } from './index-search.js';
import type { IndexWatch } from './index-watch.js';
import { bucketCountArgs } from './knn-query.js';

export interface KnnPolicy {
  /** The policy of a KNN in `bucket`, now; may start a size refresh behind it (errors go to `report`). */
  choose(tenant: string, bucket: string): HybridPolicy | undefined;
  /** Resolves when the refreshes in flight have settled. */
  idle(): Promise<void>;
}

export function knnPolicy(
  redis: RedisConnection,
  searches: IndexSearch,
  index: IndexWatch,
  report: (problem: StoreProblem) => void,
): KnnPolicy {
  const sizes = bucketSizes({
    bucketEntries: async (tenant, bucket) =>
      (await searches.forTenant(tenant, (indexName) => bucketCountArgs(indexName, bucket))).total,
    indexEntries: (tenant) => searches.indexEntries(tenant),
    indexKey: (tenant) => (redis.shards ? tenant : ''),
    report: (error) =>
      report({
        kind: 'store',
        operation: 'knn-policy',
        error: error instanceof Error ? error : new Error(String(error)),
      }),
  });
  return {
    choose(tenant, bucket) {
      const spec = index.spec();
      // FLAT has no policy to choose; an index that is not deja's right now is not queried at all.
      if (spec?.algorithm !== 'HNSW' || index.mismatch() !== undefined) return undefined;
      return hybridPolicyFor(spec, sizes.sizeOf(tenant, bucket));
    },
    idle: () => sizes.idle(),
  };
}
