// How a replayed answer says so: `providerMetadata.deja` with the hit kind, its similarity and age,
// and the usage of the original call; the replay itself reports zero tokens, since none were spent.
import type { LanguageModelV4Usage, SharedV4ProviderMetadata } from '@ai-sdk/provider';

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
};

/** What `providerMetadata.deja` holds on a replayed answer. */
export type DejaHitMetadata = DejaHit & {
  /** The usage the original model call reported. */
  originalUsage: LanguageModelV4Usage;
};

export function noUsage(): LanguageModelV4Usage {
  return {
    inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 0, text: 0, reasoning: 0 },
  };
}

export function markHit(
  providerMetadata: SharedV4ProviderMetadata | undefined,
  hit: DejaHit,
  originalUsage: LanguageModelV4Usage,
): SharedV4ProviderMetadata {
  const deja: DejaHitMetadata = { hit: hit.hit, similarity: hit.similarity, ageMs: hit.ageMs, originalUsage };
  return { ...providerMetadata, deja };
}

/** Reads `providerMetadata.deja` back (for apps and tests); undefined on a fresh answer. */
export function dejaHitOf(
  providerMetadata: SharedV4ProviderMetadata | undefined,
): DejaHitMetadata | undefined {
  const deja = providerMetadata?.deja;
  if (!deja || typeof deja.hit !== 'string') return undefined;
  return deja as unknown as DejaHitMetadata;
}
