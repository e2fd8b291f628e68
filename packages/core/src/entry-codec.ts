// Between what callers cache (any JSON-able value + metadata) and what stores keep (strings).
// The writer (encodeEntryMeta) and the reader (decodeEntry) accept the same metadata, so metadata
// that is written is always read back: an entry is never stored only to be found corrupt, deleted
// and computed again on every call. The writer checks with the schema (its messages say what is
// wrong); the reader, on every hit, with isStoredMeta, the same verdict by hand
// (entry-codec.property.test.ts holds the two to it).
import { z } from 'zod';
import { DejaInputError } from './errors.js';
import { formatIssues } from './option-schemas.js';
import { decodePayload, plainJsonProblem } from './payload.js';
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isStoredMeta(parsed) ? parsed : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isTokenCount = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * entryMetaSchema's verdict on metadata fresh from JSON.parse, without zod's copy and issue list
 * (a hit reads metadata every time). Unknown fields are refused (the schema is strict); a
 * forbidden key can only hide in `custom`, which plainJsonProblem walks whole (JSON.parse makes
 * `__proto__` an own key, so the walk sees it).
 */
function isStoredMeta(value: unknown): value is EntryMeta {
  if (!isRecord(value)) return false;
  for (const field of Object.keys(value)) {
    const item = value[field];
    if (field === 'model') {
      if (typeof item !== 'string') return false;
    } else if (field === 'usage') {
      if (!isRecord(item) || !isTokenCount(item.inputTokens) || !isTokenCount(item.outputTokens))
        return false;
      if (Object.keys(item).length !== 2) return false;
    } else if (field === 'usageEstimated') {
      if (typeof item !== 'boolean') return false;
    } else if (field === 'custom') {
      if (!isRecord(item) || plainJsonProblem(item) !== undefined) return false;
    } else if (field === 'tags') {
      if (!Array.isArray(item) || !item.every((tag) => typeof tag === 'string')) return false;
    } else return false;
  }
  return true;
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
