// What the caches of one Deja share. Internal: not exported from the package.
import type { EmbeddingCache } from './embeddings/embedding-cache.js';
import type { Guard } from './guard.js';
import type { ResolvedDejaOptions } from './options.js';
import type { SingleFlight } from './single-flight.js';
import type { Stats } from './stats.js';
import type { Store } from './stores/types.js';

export interface DejaContext {
  options: ResolvedDejaOptions;
  store: Store;
  guard: Guard;
  stats: Stats;
  /** Vector dimension, when an embedder or `dimensions` gave one. */
  dimensions: number | undefined;
  /** The embedding cache, when there is an embedder. */
  embeddings: EmbeddingCache | undefined;
  /** Store initialised within the deadline? false = treat as a miss. Throws on misuse. */
  ready(): Promise<boolean>;
  flights: SingleFlight<unknown>;
}
