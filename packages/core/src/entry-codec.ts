// Between what callers cache (any JSON-able value + metadata) and what stores keep (strings).
// The writer (encodeEntryMeta) and the reader (decodeEntry) check metadata with the same schema,
// so metadata that is written is always read back: an entry is never stored only to be found
// corrupt, deleted and computed again on every call.
import { z } from 'zod';
import { DejaInputError } from './errors.js';
import { formatIssues } from './option-schemas.js';
import { decodePayload, parseJsonSafely, plainJsonProblem } from './payload.js';
import type { StoredEntry } from './stores/types.js';

const tokenCount = z
  .number('a token count is a number')
  .nonnegative('a token count cannot be negative')
  .refine(Number.isFinite, 'a token count must be finite');

const customSchema = z.record(z.string(), z.unknown()).superRefine((custom, context) => {
  const problem = plainJsonProblem(custom);
  if (problem) context.addIssue({ code: 'custom', message: `must be plain JSON data, not ${problem}` });
});

export const entryMetaSchema = z
  .object({
    model: z.string('model must be a string').optional(),
    usage: z.object({ inputTokens: tokenCount, outputTokens: tokenCount }).strict().optional(),
    /** True when usage was estimated (tokens.ts) because the response carried none. */
    usageEstimated: z.boolean().optional(),
    custom: customSchema.optional(),
    /** The entry's tags as given (the store keeps only their digests), for listings. */
    tags: z.array(z.string('a tag must be a string')).optional(),
  })
  .strict();

export type EntryMeta = z.infer<typeof entryMetaSchema>;

/**
 * The stored form of an entry's metadata. Throws DejaInputError (with the reason) for metadata
 * that would not read back: a non-string model, negative or non-finite usage, `custom` holding a
 * BigInt, a cycle, a Date, a class instance or a `constructor` / `prototype` / `__proto__` key.
 */
export function encodeEntryMeta(meta: EntryMeta | undefined): string {
  // Checked on the caller's own object first: zod copies records, and a copy can hide a
  // `__proto__` key or a cycle that JSON.stringify would still meet.
  const problem = plainJsonProblem(meta ?? {});
  if (problem) throw new DejaInputError(`The entry metadata cannot be stored: it holds ${problem}`);
  const parsed = entryMetaSchema.safeParse(meta ?? {});
  if (!parsed.success)
    throw new DejaInputError(`The entry metadata cannot be stored: ${formatIssues(parsed.error)}`);
  return JSON.stringify(meta ?? {});
}

/** The metadata of a stored entry; undefined when it is not what encodeEntryMeta writes. */
export function decodeEntryMeta(text: string): EntryMeta | undefined {
  const parsed = entryMetaSchema.safeParse(parseJsonSafely(text));
  return parsed.success ? parsed.data : undefined;
}

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
  const meta = decodeEntryMeta(stored.meta);
  if (!meta) return undefined;
  if (!Number.isFinite(stored.createdAt)) return undefined;
  return {
    id: stored.id,
    value: payload.data as T,
    text: stored.text,
    meta,
    createdAt: stored.createdAt,
    ageMs: Math.max(0, Date.now() - stored.createdAt),
  };
}
