// What the caches of one Deja share. Internal: not exported from the package.
import type { EmbeddingCache } from './embeddings/embedding-cache.js';
import type { LocalVectors } from './embeddings/local-vectors.js';
import type { Guard } from './guard.js';
import type { ResolvedDejaOptions } from './options.js';
import type { WriteBehind } from './responses/write-behind.js';
import type { SemanticShared } from './semantic/semantic-settings.js';
import type { SingleFlight } from './single-flight.js';
import type { Stats } from './stats.js';
import type { GuardedStore } from './stores/guarded-store.js';

export interface DejaContext {
  options: ResolvedDejaOptions;
  /** The only way to storage: ready check, deadline, breaker, fallback and report in one place. */
  store: GuardedStore;
  /** For reports and one deadline per app-level call; store calls are already guarded. */
  guard: Guard;
  stats: Stats;
  /** Vector dimension, when an embedder or `dimensions` gave one. */
  dimensions: number | undefined;
  /** The in-process LRU of embeddings every embedding cache of this Deja shares. */
  localVectors: LocalVectors;
  /** The embedding cache, when there is an embedder. */
  embeddings: EmbeddingCache | undefined;
  flights: SingleFlight<unknown>;
  /** Cache writes running behind computed answers (flushed by close()). */
  writes: WriteBehind;
  /** Acceptance policy, verifier and evidence of the semantic tier. */
  semantic: SemanticShared;
}
