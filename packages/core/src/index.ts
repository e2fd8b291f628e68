export { createDeja } from './deja.js';
export type { Deja, DejaHealth } from './deja.js';
export { loadConfig } from './config.js';
export type { DejaOptions, ResolvedDejaOptions, CacheMode } from './options.js';
export { memoryStore } from './stores/memory-store.js';
export type { MemoryStoreOptions } from './stores/memory-store.js';
export { redisStore } from './stores/redis/redis-store.js';
export type { RedisStoreOptions } from './stores/redis/redis-store.js';
export type {
  Store,
  StoreEntry,
  StoredEntry,
  StoreCapabilities,
  StoreHealth,
  KnnQuery,
  KnnMatch,
} from './stores/types.js';
export { TenantCache } from './tenant-cache.js';
export type { PutInput, PutResult, KnnOptions, KnnResult, NotCachedReason } from './tenant-cache.js';
export { ResponseCache } from './responses/response-cache.js';
export type {
  ResponseRequest,
  ResponseOptions,
  StoreOptions,
  CacheHit,
  StoreResult,
  WrapOptions,
  WrapResult,
} from './responses/response-cache.js';
export type { CachedItem, EntryMeta } from './entry-codec.js';
export type { Embedder } from './embeddings/embedder.js';
export { lexicalEmbedder } from './embeddings/lexical-embedder.js';
export type { LexicalEmbedderOptions } from './embeddings/lexical-embedder.js';
export type { Id } from './ids.js';
export type { DejaErrorEvent, DejaErrorKind } from './guard.js';
export type { StatsSnapshot, TierCounters, PriceTable, LatencySummary } from './stats.js';
export type { VectorLike } from './vectors.js';
export { canonicalJson } from './keys/canonical.js';
export { digest, sha256 } from './keys/digest.js';
export { countTokens } from './tokens.js';
export {
  DejaError,
  DejaConfigError,
  DejaSchemaMismatchError,
  DejaInputError,
  DejaUnsupportedError,
  DejaStoreError,
  DejaTimeoutError,
  DejaCircuitOpenError,
} from './errors.js';
