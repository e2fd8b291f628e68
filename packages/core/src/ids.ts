// Tenant and user ids -> digests, with one rule for what an id may be.
//
// An id is compared by its string form, normalised to Unicode NFC: 42 and '42' are one tenant, a
// UUID object and its string are one user, and "José" typed as é (U+00E9) or as e + U+0301 is one
// user. NFC (not NFKC) because compatibility folding would merge ids that people tell apart
// ('ﬁ' and 'fi', '²' and '2'); NFC only merges spellings of the same text. Strings are otherwise
// compared exactly (case and spaces matter).
import { DejaInputError } from './errors.js';
import { canonicalJson } from './keys/canonical.js';
import { digest, digestAsync, NO_USER } from './keys/digest.js';

/**
 * A tenant or user id: a non-empty string, a number, or an object with its own string form (UUID).
 * Ids are compared by their NFC string form: 42 and '42' are the same tenant, as a UUID object and its string are.
 */
export type Id = string | number | { toString(): string };

const MAX_ID_LENGTH = 1_024;

/**
 * Bumped whenever canonical keys change shape (v2: type-tagged keys), so an entry written under an
 * older layout is never read for a key that only now has the same text.
 */
const ENTRY_ID_VERSION = 2;

/** The string an id stands for: NFC, non-empty, at most MAX_ID_LENGTH characters. */
export function idText(id: Id, what: 'tenant' | 'user'): string {
  if (id === null || id === undefined) throw new DejaInputError(`A ${what} id is required`);
  let text: string;
  if (typeof id === 'string') text = id;
  else if (typeof id === 'number') {
    if (!Number.isFinite(id)) throw new DejaInputError(`The ${what} id ${id} is not a usable id`);
    text = String(id);
  } else if (typeof id === 'object') {
    // The key rules decide what has a faithful string form (a UUID object does; a plain object,
    // a class without toString or an Error does not).
    const canonical = canonicalJson(id);
    if (!canonical.startsWith('"'))
      throw new DejaInputError(`A ${what} id object must have its own string form (like a UUID object)`);
    text = JSON.parse(canonical) as string;
  } else {
    throw new DejaInputError(`A ${what} id must be a string, number or UUID-like object, got ${typeof id}`);
  }
  const normalised = text.normalize('NFC');
  if (normalised.length === 0) throw new DejaInputError(`The ${what} id is empty`);
  if (normalised.length > MAX_ID_LENGTH)
    throw new DejaInputError(`The ${what} id is longer than ${MAX_ID_LENGTH} characters`);
  return normalised;
}

export function idDigest(id: Id, what: 'tenant' | 'user'): string {
  return digest(idText(id, what));
}

export function userDigest(user: Id | undefined): string {
  return user === undefined ? NO_USER : idDigest(user, 'user');
}

/** The entry id: the exact key material and the user, hashed together. */
export function entryId(key: unknown, user: string): string {
  return digest({ v: ENTRY_ID_VERSION, key, user });
}

/** entryId, hashed with the event loop free between slices (a key may hold a whole prompt). */
export function entryIdAsync(key: unknown, user: string): Promise<string> {
  return digestAsync({ v: ENTRY_ID_VERSION, key, user });
}
