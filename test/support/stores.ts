// The stores every conformance test runs against, each isolated by its own prefix and index:
// memory, Redis Stack (Query Engine), plain Redis 7 (packed scan), Redis 8 (vector sets).
import { type DejaOptions, type MemoryStore, memoryStore, type RedisStore, redisStore } from '@deja/core';
import { redis8Url, redisPlainUrl, redisStackUrl } from '../harness/servers.ts';
import { dropTestData } from './redis-cleanup.ts';

export type StoreKind = 'memory' | 'redis-stack' | 'redis-plain' | 'redis-8';
export const STORE_KINDS: StoreKind[] = ['memory', 'redis-stack', 'redis-plain', 'redis-8'];

let counter = 0;

export interface TestStore {
  kind: StoreKind;
  store: MemoryStore | RedisStore;
  url?: string;
  prefix: string;
  embeddingPrefix: string;
  /**
   * Options to pass to createDeja so every key of the test is under its prefixes. They choose the
   * static semantic rule (`maxErrorRate: false`) and writes awaited before wrap returns
   * (`writeBehind: false`): these suites test storage, tenancy and the adapters' paths; the bounded
   * default and writing behind have tests of their own (semantic-acceptance, write-behind).
   */
  dejaOptions: Pick<DejaOptions, 'store' | 'embeddingKeyPrefix' | 'maxErrorRate' | 'writeBehind'>;
  cleanup(): Promise<void>;
}

export function makeTestStore(kind: StoreKind, options: { algorithm?: 'FLAT' | 'HNSW' } = {}): TestStore {
  const tag = `t${process.pid}x${++counter}x${Date.now().toString(36)}`;
  const prefix = `test:${tag}:`;
  const indexName = `idx-${tag}`;
  const embeddingPrefix = `emb-${tag}:`;
  if (kind === 'memory') {
    const store = memoryStore();
    return {
      kind,
      store,
      prefix,
      embeddingPrefix,
      dejaOptions: { store, embeddingKeyPrefix: embeddingPrefix, maxErrorRate: false, writeBehind: false },
      cleanup: () => store.close(),
    };
  }
  const url = kind === 'redis-stack' ? redisStackUrl() : kind === 'redis-8' ? redis8Url() : redisPlainUrl();
  const store = redisStore({ url, prefix, indexName, algorithm: options.algorithm });
  return {
    kind,
    store,
    url,
    prefix,
    embeddingPrefix,
    dejaOptions: { store, embeddingKeyPrefix: embeddingPrefix, maxErrorRate: false, writeBehind: false },
    async cleanup() {
      await store.close();
      await dropTestData(
        url,
        [`${prefix}*`, `~${prefix}*`, `${embeddingPrefix}*`],
        kind === 'redis-stack' ? indexName : undefined,
      );
    },
  };
}
