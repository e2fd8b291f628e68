// The shapes the response cache takes and gives: requests, store and wrap options and results.
// A leaf (types only), so the miss path and the lock can use them without importing the cache.
import type { NotCachedReason } from '../tenancy/tenant-scope.js';
import type { VectorLike } from '../vectors.js';
import type { ResponseOptions } from './call-settings.js';
import type { MetaInput } from './entry-meta.js';
import type { CacheHit, MissReason } from './lookup-types.js';

export interface ResponseRequest {
  /** Everything that determines the answer (model, prompt, params...): canonical JSON, hashed. */
  key: unknown;
  /** What is compared by meaning, usually the last user message. Absent: exact only. */
  semanticText?: string;
  /** The non-semantic context; a semantic match needs an identical scope. */
  scope?: unknown;
  /**
   * The embedder's vector of `semanticText`, when the app already has it (e.g. from a retrieval
   * step): no embedding call, and a lookup's exact probe and KNN share one round trip. Only with
   * `semanticText`; checked against the configured dimension.
   */
  vector?: VectorLike;
}

export interface StoreOptions extends ResponseOptions, MetaInput {
  /**
   * What the answer was built from (e.g. ['doc:42']): `tenant.invalidateTag('doc:42')` drops it.
   * Non-empty strings, at most 32 of 256 characters each.
   */
  tags?: string[];
}

export type StoreResult =
  | { stored: true; key: string }
  | { stored: false; key: string; reason: NotCachedReason };

export interface WrapOptions<T> extends StoreOptions {
  /** Return false for results not worth replaying (errors, refusals); default: cache everything. */
  shouldCache?: (value: T) => boolean;
  /** Model and usage of a computed value, for stats and cost saved. */
  describe?: (value: T) => { model?: string; usage?: { inputTokens?: number; outputTokens?: number } };
  /** Wait for the cache write before returning a computed answer. Default: not when `writeBehind`. */
  awaitWrite?: boolean;
}

export interface WrapMiss<T> {
  hit: 'miss';
  value: T;
  key: string;
  shared: boolean;
  /** Whether the answer was stored; 'pending' while the write runs behind the app. */
  stored: boolean | 'pending';
  /** Resolves when the write is done: true when stored. */
  written: Promise<boolean>;
  /** Why the lookup before the computation missed ('refresh' when it was skipped). */
  reason: MissReason;
  /** The best semantic candidate's similarity, when there was one. */
  similarity?: number;
}

export type WrapResult<T> = (CacheHit<T> & { shared: boolean }) | WrapMiss<T>;
