// Tags name what an answer was built from (a source document, a product, a policy), so every entry
// built from it can be dropped at once when it changes: `invalidateTag('doc:42')`. A tag reaches
// the store only as a hex digest (a Redis TAG field and a member-set name), so no user text ever
// enters a query; the labels themselves are kept in the entry's metadata, for listings.
import { DejaInputError } from './errors.js';
import { digest } from './keys/digest.js';

/** At most this many tags per entry (each costs a member-set write on plain Redis). */
export const MAX_TAGS = 32;
/** At most this many characters per tag. */
export const MAX_TAG_LENGTH = 256;

export interface ParsedTags {
  /** As given, NFC, deduplicated, in order: kept in the entry's metadata. */
  labels: string[];
  /** Hex digests of the labels: what the store indexes and filters on. */
  digests: string[];
}

/** The digest of one tag, as the store sees it. Throws DejaInputError for an unusable tag. */
export function tagDigest(tag: unknown): string {
  return digest({ tag: tagText(tag) });
}

/** Checks a call's `tags`; undefined when none were given. */
export function parseTags(tags: unknown): ParsedTags | undefined {
  if (tags === undefined) return undefined;
  if (!Array.isArray(tags)) throw new DejaInputError('tags must be an array of strings');
  const labels = [...new Set(tags.map(tagText))];
  if (labels.length > MAX_TAGS) throw new DejaInputError(`At most ${MAX_TAGS} tags per entry`);
  if (labels.length === 0) return undefined;
  return { labels, digests: labels.map((label) => digest({ tag: label })) };
}

function tagText(tag: unknown): string {
  if (typeof tag !== 'string') throw new DejaInputError(`A tag must be a string, got ${typeof tag}`);
  const text = tag.normalize('NFC');
  if (text.trim().length === 0) throw new DejaInputError('A tag is empty');
  if (text.length > MAX_TAG_LENGTH)
    throw new DejaInputError(`A tag is longer than ${MAX_TAG_LENGTH} characters`);
  return text;
}
