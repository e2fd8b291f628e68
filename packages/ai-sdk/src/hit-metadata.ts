// What `providerMetadata.deja` says about a call. A replayed answer: the hit kind, its similarity
// and age, whether a verifier confirmed it, the reference to report it wrong with, and the usage
// of the original call (the replay itself reports zero tokens, since none were spent). A fresh
// answer: why the cache missed, and the best candidate's similarity when there was one.
import type { MissReason } from '@deja/core';
import type { ProviderMetadata, Usage } from './spec.js';

/** `shared`: a concurrent identical call that waited for another call's model answer. */
export type DejaHitKind = 'exact' | 'semantic' | 'shared';

// Type aliases, not interfaces: provider metadata must be JSON objects, and only aliases get the
// implicit index signature that takes.
export type DejaHit = {
  hit: DejaHitKind;
  /** Cosine similarity of the matched prompt; 1 for exact and shared hits. */
  similarity: number;
  /** How old the answer is, ms. */
  ageMs: number;
  /** Semantic hits: true when a verifier judged the cached answer right for this prompt. */
  verified?: boolean;
  /**
   * Semantic hits: hand to `deja.tenant(tenant).responses.reportWrongHit(reference)` when the
   * user says the answer was wrong; that entry then no longer answers this prompt.
   */
  reference?: string;
};

/** What `providerMetadata.deja` holds on a replayed answer. */
export type DejaHitMetadata = DejaHit & {
  /** The usage the original model call reported. */
  originalUsage: Usage;
};

/** What `providerMetadata.deja` holds on an answer the model gave (the cache missed). */
export type DejaMissMetadata = {
  hit: 'miss';
  /** Why: 'no-entry', 'below-threshold', 'not-verified', 'breaker-open', 'mode-off', 'refresh', ... */
  reason: MissReason;
  /** The best semantic candidate's similarity, when there was one. */
  similarity?: number;
};

export type DejaMetadata = DejaHitMetadata | DejaMissMetadata;

export function noUsage(): Usage {
  return {
    inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 0, text: 0, reasoning: 0 },
  };
}

/** A hit as metadata: optional fields only when set (JSON has no undefined). */
export function hitMetadata(hit: DejaHit, originalUsage: Usage): DejaHitMetadata {
  const deja: DejaHitMetadata = { hit: hit.hit, similarity: hit.similarity, ageMs: hit.ageMs, originalUsage };
  if (hit.verified !== undefined) deja.verified = hit.verified;
  if (hit.reference !== undefined) deja.reference = hit.reference;
  return deja;
}

export function missMetadata(miss: { reason: MissReason; similarity?: number }): DejaMissMetadata {
  const deja: DejaMissMetadata = { hit: 'miss', reason: miss.reason };
  if (miss.similarity !== undefined) deja.similarity = miss.similarity;
  return deja;
}

/** The provider metadata with `deja` set (the provider's own entries kept). */
export function putDeja(
  providerMetadata: ProviderMetadata | undefined,
  deja: DejaMetadata,
): ProviderMetadata {
  return { ...providerMetadata, deja } as ProviderMetadata;
}

export function markHit(
  providerMetadata: ProviderMetadata | undefined,
  hit: DejaHit,
  originalUsage: Usage,
): ProviderMetadata {
  return putDeja(providerMetadata, hitMetadata(hit, originalUsage));
}

/** Reads `providerMetadata.deja` back (for apps and tests): a hit, a miss, or undefined when absent. */
export function dejaMetadataOf(providerMetadata: ProviderMetadata | undefined): DejaMetadata | undefined {
  const deja = (providerMetadata as Record<string, unknown> | undefined)?.deja as
    | { hit?: unknown }
    | undefined;
  if (!deja || typeof deja.hit !== 'string') return undefined;
  return deja as DejaMetadata;
}

/** The hit in `providerMetadata.deja`; undefined on an answer the model gave (see dejaMetadataOf). */
export function dejaHitOf(providerMetadata: ProviderMetadata | undefined): DejaHitMetadata | undefined {
  const deja = dejaMetadataOf(providerMetadata);
  return deja && deja.hit !== 'miss' ? deja : undefined;
}
