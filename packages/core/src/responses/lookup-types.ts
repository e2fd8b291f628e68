// The shapes of a lookup's result: a hit, or a miss with its reason, and what onLookup receives.
// A leaf (types and constants only), so options and the caches can share it without a cycle.
import type { EntryMeta } from '../entry-codec.js';

export interface CacheHit<T = unknown> {
  hit: 'exact' | 'semantic';
  /** 1 for exact hits. */
  similarity: number;
  ageMs: number;
  /** Id of the entry that answered. */
  key: string;
  value: T;
  meta: EntryMeta;
  /** Semantic hits: true when a verifier judged the answer the same for this query. */
  verified?: boolean;
  /** Semantic hits: pass to `reportWrongHit` when the answer was wrong (a user's thumbs-down). */
  reference?: string;
}

export const MISS_REASONS = {
  modeOff: 'mode-off',
  refresh: 'refresh',
  noEntry: 'no-entry',
  belowThreshold: 'below-threshold',
  notVerified: 'not-verified',
  verifierRejected: 'verifier-rejected',
  reportedWrong: 'reported-wrong',
  notEmbeddable: 'not-embeddable',
  embedderFailed: 'embedder-failed',
  storeUnavailable: 'store-unavailable',
  breakerOpen: 'breaker-open',
  overloaded: 'overloaded',
} as const;
export type MissReason = (typeof MISS_REASONS)[keyof typeof MISS_REASONS];

export interface CacheMiss {
  hit: 'miss';
  reason: MissReason;
  /** The best semantic candidate's similarity, when there was one. */
  similarity?: number;
  /** For 'not-verified': the acceptance rule's reason (e.g. 'no-evidence-yet', 'below-learned-threshold'). */
  rule?: string;
}

export type LookupResult<T> = CacheHit<T> | CacheMiss;

/** What `onLookup` receives for every lookup. Never the prompt text: the tenant as its digest. */
export interface LookupEvent {
  tenant: string;
  outcome: 'exact' | 'semantic' | 'miss';
  reason?: MissReason;
  similarity?: number;
  verified?: boolean;
  durationMs: number;
}
