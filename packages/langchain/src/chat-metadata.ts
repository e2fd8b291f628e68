// What withDeja says about a call, in the answer's `response_metadata.deja` and in the `deja`
// custom callback event: a hit (kind, similarity, age, whether a verifier confirmed it, and for
// semantic hits the reference to report it wrong by), or why the cache missed.
import type { CacheHit, MissReason } from '@deja/core';
import type { BaseMessage, UsageMetadata } from '@langchain/core/messages';

/** The name of the custom callback event (`on_custom_event` in streamEvents, handleCustomEvent). */
export const DEJA_EVENT = 'deja';

export type DejaChatHit = {
  /** `shared`: a concurrent identical call that waited for another call's model answer. */
  hit: 'exact' | 'semantic' | 'shared';
  /** Cosine similarity of the matched prompt; 1 for exact and shared hits. */
  similarity: number;
  /** How old the answer is, ms. */
  ageMs: number;
  /** Semantic hits: true when a verifier judged the cached answer right for this prompt. */
  verified?: boolean;
  /** Semantic hits: hand to `deja.tenant(tenant).responses.reportWrongHit(reference)` on a thumbs-down. */
  reference?: string;
  /** The token usage the original model call reported (the replay's own usage_metadata is zero). */
  originalUsage?: UsageMetadata;
};

export type DejaChatMiss = {
  hit: 'miss';
  /** Why: 'no-entry', 'below-threshold', 'not-verified', 'breaker-open', 'mode-off', 'refresh', ... */
  reason: MissReason;
  /** The best semantic candidate's similarity, when there was one. */
  similarity?: number;
};

export type DejaChatMetadata = DejaChatHit | DejaChatMiss;

export const SHARED: DejaChatHit = { hit: 'shared', similarity: 1, ageMs: 0 };

export function hitMetadata(hit: CacheHit): DejaChatHit {
  const metadata: DejaChatHit = { hit: hit.hit, similarity: hit.similarity, ageMs: hit.ageMs };
  if (hit.verified !== undefined) metadata.verified = hit.verified;
  if (hit.reference !== undefined) metadata.reference = hit.reference;
  return metadata;
}

export function missMetadata(miss: { reason: MissReason; similarity?: number }): DejaChatMiss {
  const metadata: DejaChatMiss = { hit: 'miss', reason: miss.reason };
  if (miss.similarity !== undefined) metadata.similarity = miss.similarity;
  return metadata;
}

/** Sets `response_metadata.deja` on a message (a fresh one, made by the caller). */
export function markMessage(message: BaseMessage, metadata: DejaChatMetadata): void {
  message.response_metadata = { ...message.response_metadata, deja: metadata };
}

/** Reads `response_metadata.deja` of a withDeja answer; undefined when absent. */
export function dejaMetadataOf(
  message: Pick<BaseMessage, 'response_metadata'>,
): DejaChatMetadata | undefined {
  const deja = (message.response_metadata as Record<string, unknown> | undefined)?.deja as
    | { hit?: unknown }
    | undefined;
  return typeof deja?.hit === 'string' ? (deja as DejaChatMetadata) : undefined;
}

const NO_USAGE: UsageMetadata = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };

/**
 * Marks replayed messages: zero usage on each (no tokens were spent), the original usage summed
 * into the hit's metadata, and the metadata on the first message.
 */
export function markReplay(messages: readonly BaseMessage[], hit: DejaChatHit): void {
  let original: UsageMetadata | undefined;
  for (const message of messages) {
    const usage = (message as { usage_metadata?: UsageMetadata }).usage_metadata;
    if (!usage) continue;
    original = {
      input_tokens: (original?.input_tokens ?? 0) + usage.input_tokens,
      output_tokens: (original?.output_tokens ?? 0) + usage.output_tokens,
      total_tokens: (original?.total_tokens ?? 0) + usage.total_tokens,
    };
    (message as { usage_metadata?: UsageMetadata }).usage_metadata = { ...NO_USAGE };
  }
  const [first] = messages;
  if (first) markMessage(first, original ? { ...hit, originalUsage: original } : hit);
}

/** The metadata a message was marked with (markMessage / markReplay). */
export function markOf(message: BaseMessage | undefined): DejaChatMetadata | undefined {
  return message ? dejaMetadataOf(message) : undefined;
}
