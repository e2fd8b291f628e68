// The shapes a TenantScope takes and gives (a leaf: types only).
import type { CachedItem } from '../entry-codec.js';

/**
 * Why a value was not stored. 'user-erased': forgetUser ran for the user after this write began
 * (the write is fenced). 'invalidated': invalidateTag ran for one of its tags after this write
 * began (for an entry with both a user and tags, either fence reads 'invalidated').
 */
export type NotCachedReason =
  | 'too-large'
  | 'store-unavailable'
  | 'mode-off'
  | 'not-cacheable'
  | 'user-erased'
  | 'invalidated';

export type WriteResult =
  | { stored: true; id: string }
  | { stored: false; id: string; reason: NotCachedReason };

/** One entry to write, its value already encoded and its vector already validated. */
export interface EntryWrite {
  id: string;
  user: string;
  scope: string;
  /** The embedded text ('' without a vector). */
  text: string;
  embedding: Float32Array | undefined;
  response: string;
  /** Encoded with encodeEntryMeta (which refuses what would not read back). */
  meta: string;
  ttlMs: number;
  /** Digests of the entry's tags (parseTags), if any. */
  tags?: string[];
  /**
   * When the operation whose result this is began (ms since the epoch; default: now). A write
   * that began before a forgetUser of its user is refused, so the caller should pass the time it
   * started (before computing the value), not the time it writes.
   */
  startedAt?: number;
}

export interface NearestQuery {
  vector: Float32Array;
  k: number;
  scope: string;
  user: string;
  minSimilarity: number;
}

export type KnnResult<T = unknown> = CachedItem<T> & { similarity: number };
