import { canonicalDigest } from './canonical.js';
import { canonicalDigestAsync } from './canonical-async.js';
import { sha256Hex } from './sha256.js';

export function sha256(text: string): string {
  return sha256Hex(text);
}

/**
 * sha256 hex of a value's canonical text (see canonical.ts): the one way deja turns a value into
 * a key part, so `'4b0c…'` and a UUID object printing as `4b0c…` give the same digest. The text is
 * hashed as it is written, never joined into one giant string.
 */
export function digest(value: unknown): string {
  return canonicalDigest(value);
}

/**
 * The same digest, with the event loop free while long strings are escaped and hashed: for
 * request keys and scopes, which may hold a whole prompt (a 5 MB prompt is tens of ms of work).
 */
export function digestAsync(value: unknown): Promise<string> {
  return canonicalDigestAsync(value);
}

/** The `user` tag of entries that belong to no user (hex-only, like every other tag value). */
export const NO_USER = '0';
