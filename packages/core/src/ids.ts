// Tenant and user ids -> digests, with one rule for what an id may be.
import { DejaInputError } from './errors.js';
import { canonicalJson } from './keys/canonical.js';
import { digest, NO_USER } from './keys/digest.js';

/**
 * A tenant or user id: a non-empty string, a number, or an object with its own string form (UUID).
 * Ids are compared by their string form: 42 and '42' are the same tenant, as a UUID object and its string are.
 */
export type Id = string | number | { toString(): string };

const MAX_ID_LENGTH = 1_024;

export function idDigest(id: Id, what: 'tenant' | 'user'): string {
  if (id === null || id === undefined) throw new DejaInputError(`A ${what} id is required`);
  if (typeof id === 'number' && !Number.isFinite(id))
    throw new DejaInputError(`The ${what} id ${id} is not a usable id`);
  if (typeof id !== 'string' && typeof id !== 'number' && typeof id !== 'object') {
    throw new DejaInputError(`A ${what} id must be a string, number or UUID-like object, got ${typeof id}`);
  }
  const normalised = typeof id === 'number' ? String(id) : id;
  const text = canonicalJson(normalised);
  if (text === '""' || text === '{}' || text === '[]') throw new DejaInputError(`The ${what} id is empty`);
  if (text.length > MAX_ID_LENGTH)
    throw new DejaInputError(`The ${what} id is longer than ${MAX_ID_LENGTH} characters`);
  return digest(normalised);
}

export function userDigest(user: Id | undefined): string {
  return user === undefined ? NO_USER : idDigest(user, 'user');
}

/** The entry id: the exact key material and the user, hashed together. */
export function entryId(key: unknown, user: string): string {
  return digest({ key, user });
}
