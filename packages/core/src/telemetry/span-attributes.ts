// The names deja's spans and metrics use, and what each operation's result turns into. The
// tenant is always its digest; text only when the user opted in (`recordText`), because a
// semantic text is a user's words and trace backends keep them longer than a cache does.
export type TelemetryValue = string | number | boolean;
export type TelemetryAttributes = Record<string, TelemetryValue | undefined>;

export const SPAN_ATTRIBUTES = {
  /** The tenant's digest, never its id. */
  tenant: 'deja.tenant',
  /** Tiers the lookup tried: 'exact' or 'semantic'. */
  mode: 'deja.mode',
  /** true on a hit. */
  hit: 'deja.hit',
  /** 'exact', 'semantic' or 'miss'. */
  outcome: 'deja.outcome',
  /** Why a lookup missed (MISS_REASONS). */
  missReason: 'deja.miss.reason',
  /** For 'not-verified' misses: the acceptance rule's reason. */
  rule: 'deja.miss.rule',
  /** Cosine similarity of the semantic candidate (1 on exact hits). */
  similarity: 'deja.similarity',
  /** Semantic hits: whether a verifier said the answer is the same. */
  verified: 'deja.verified',
  /** Hits: the tokens the original call spent, saved by this hit. */
  tokensSaved: 'deja.tokens_saved',
  /** Stores: whether the entry was written; and why not. */
  stored: 'deja.stored',
  notCachedReason: 'deja.not_cached.reason',
  /** Verifications: 'same' or 'different' and, for a fail-closed 'different', why. */
  verdict: 'deja.verdict',
  verifierFailure: 'deja.verifier.failure',
  /** Opt-in (`recordText`): the semantic text, and for verifications the candidate's text. */
  text: 'deja.text',
  candidateText: 'deja.candidate.text',
  /** Metrics: which operation a duration belongs to, and the kind of a reported error. */
  operation: 'deja.operation',
  errorKind: 'deja.error.kind',
} as const;

/** What a lookup returned, read structurally (responses/lookup-path.ts LookupResult). */
export interface TracedLookup {
  hit: 'exact' | 'semantic' | 'miss';
  similarity?: number;
  verified?: boolean;
  reason?: string;
  rule?: string;
  meta?: { usage?: { inputTokens: number; outputTokens: number } };
}

/** What a store returned (responses/response-cache.ts StoreResult). */
export interface StoredResultLike {
  stored: boolean;
  reason?: string;
}

/** What the guarded verifier returned (semantic/verifier.ts GuardedVerdict). */
export interface VerdictLike {
  verdict: 'same' | 'different';
  failure?: string;
}

export function lookupAttributes(result: TracedLookup): TelemetryAttributes {
  const usage = result.hit === 'miss' ? undefined : result.meta?.usage;
  return {
    [SPAN_ATTRIBUTES.outcome]: result.hit,
    [SPAN_ATTRIBUTES.hit]: result.hit !== 'miss',
    [SPAN_ATTRIBUTES.missReason]: result.hit === 'miss' ? result.reason : undefined,
    [SPAN_ATTRIBUTES.rule]: result.hit === 'miss' ? result.rule : undefined,
    [SPAN_ATTRIBUTES.similarity]: result.similarity,
    [SPAN_ATTRIBUTES.verified]: result.hit === 'semantic' ? result.verified === true : undefined,
    [SPAN_ATTRIBUTES.tokensSaved]: usage ? usage.inputTokens + usage.outputTokens : undefined,
  };
}

export function storeAttributes(result: StoredResultLike): TelemetryAttributes {
  return {
    [SPAN_ATTRIBUTES.stored]: result.stored,
    [SPAN_ATTRIBUTES.notCachedReason]: result.stored ? undefined : result.reason,
  };
}

export function verifyAttributes(verdict: VerdictLike): TelemetryAttributes {
  return {
    [SPAN_ATTRIBUTES.verdict]: verdict.verdict,
    [SPAN_ATTRIBUTES.verified]: verdict.verdict === 'same',
    [SPAN_ATTRIBUTES.verifierFailure]: verdict.failure,
  };
}

/** Attributes without the undefined ones (OpenTelemetry drops them with a warning otherwise). */
export function definedAttributes(attributes: TelemetryAttributes): Record<string, TelemetryValue> {
  const defined: Record<string, TelemetryValue> = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) defined[name] = value;
  return defined;
}
