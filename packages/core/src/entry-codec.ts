// Between what callers cache (any JSON-able value + metadata) and what stores keep (strings).
import { z } from 'zod';
import { decodePayload, parseJsonSafely } from './payload.js';
import type { StoredEntry } from './stores/types.js';

export const entryMetaSchema = z
  .object({
    model: z.string().optional(),
    usage: z
      .object({ inputTokens: z.number().nonnegative(), outputTokens: z.number().nonnegative() })
      .optional(),
    /** True when usage was counted with tiktoken because the response carried none. */
    usageEstimated: z.boolean().optional(),
    custom: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type EntryMeta = z.infer<typeof entryMetaSchema>;

export interface CachedItem<T = unknown> {
  /** Entry id (sha256 hex of the exact key). */
  id: string;
  value: T;
  /** The text that was embedded ('' for exact-only entries). */
  text: string;
  meta: EntryMeta;
  createdAt: number;
  ageMs: number;
}

/** undefined when the stored entry is not one deja wrote (tampered, truncated, other version). */
export function decodeEntry<T>(stored: StoredEntry): CachedItem<T> | undefined {
  const payload = decodePayload(stored.response);
  if (!payload) return undefined;
  const meta = entryMetaSchema.safeParse(parseJsonSafely(stored.meta));
  if (!meta.success) return undefined;
  if (!Number.isFinite(stored.createdAt)) return undefined;
  return {
    id: stored.id,
    value: payload.data as T,
    text: stored.text,
    meta: meta.data,
    createdAt: stored.createdAt,
    ageMs: Math.max(0, Date.now() - stored.createdAt),
  };
}
