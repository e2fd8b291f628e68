export { loadConfig } from './config.js';
export type { Deja, DejaHealth, DejaStats } from './deja.js';
export { createDeja } from './deja.js';
export type { Embedder } from './embeddings/embedder.js';
export type { LexicalEmbedderOptions } from './embeddings/lexical-embedder.js';
export { lexicalEmbedder } from './embeddings/lexical-embedder.js';
export type { CachedItem, EntryMeta } from './entry-codec.js';
export type { ConnectionFailure } from './errors.js';
export {
  CONNECTION_FAILURES,
  DejaCircuitOpenError,
  DejaConfigError,
  DejaConnectionError,
  DejaError,
  DejaInputError,
  DejaOverloadedError,
  DejaSchemaMismatchError,
  DejaStoreError,
  DejaTimeoutError,
  DejaUnsupportedError,
} from './errors.js';
export type { DejaErrorEvent, DejaErrorKind } from './guard.js';
export type { Id } from './ids.js';
export type {
  CacheMode,
  DejaBreakerOptions,
  DejaLockOptions,
  DejaOptions,
  DejaPrice,
  DejaRedisOptions,
  ResolvedDejaOptions,
} from './options.js';
export type {
  CacheHit,
  CacheMiss,
  LookupEvent,
  LookupResult,
  MissReason,
  ResponseCache,
  ResponseOptions,
  ResponseRequest,
  StoreOptions,
  StoreResult,
  WrapOptions,
  WrapResult,
} from './responses/response-cache.js';
export type { SemanticCounters } from './semantic/semantic-settings.js';
export type {
  Verdict,
  Verifier,
  VerifierCounters,
  VerifyRequest,
  VerifyResult,
} from './semantic/verifier.js';
export type { LatencySummary, PriceTable, StatsSnapshot, TierCounters } from './stats.js';
export type { MemoryStore, MemoryStoreOptions } from './stores/memory-store.js';
export { memoryStore } from './stores/memory-store.js';
export type { RedisStore, RedisStoreOptions } from './stores/redis/redis-store.js';
export { redisStore } from './stores/redis/redis-store.js';
export type {
  KnnMatch,
  KnnQuery,
  ListOptions,
  ListPage,
  Store,
  StoreBytes,
  StoreCapabilities,
  StoreCounters,
  StoredEntry,
  StoreEntry,
  StoreHealth,
  StoreInitOptions,
  StoreLocks,
} from './stores/types.js';
export { MAX_TAG_LENGTH, MAX_TAGS } from './tags.js';
export type { KnnResult, NotCachedReason } from './tenancy/tenant-scope.js';
export type { KnnOptions, PutInput, PutResult, TenantCache } from './tenant-cache.js';
export type { ListedEntry, ListInput, ListResult } from './tenant-list.js';
export { countTokens } from './tokens.js';
export type { VectorLike } from './vectors.js';
export { cosineSimilarity } from './vectors.js';
