// Canonical digests and samples of keys that may hold a whole prompt (megabytes), computed with
// the event loop free between slices of the work: see deferred-output.ts.
import { createHash } from 'node:crypto';
import { writeCanonical } from './canonical.js';
import { fastCanonicalJson } from './canonical-fast.js';
import { DeferredOutput } from './deferred-output.js';
import { sha256Hex } from './sha256.js';

/**
 * The same digest as canonicalDigest, with the event loop free while long strings are escaped
 * and hashed (a slice at a time): the path for request keys and scopes, which may hold a whole
 * prompt. The walk over the value's structure is still one synchronous pass.
 */
export function canonicalDigestAsync(value: unknown): Promise<string> {
  // A key of plain data and at most FAST_MAX_LENGTH characters is a few µs of work: no slices,
  // and a promise already settled (no turns of an async function for the caller to wait out).
  let fast: string | undefined;
  try {
    fast = fastCanonicalJson(value);
  } catch (error) {
    // A getter or a proxy of the caller's threw: a rejection, as from the async path.
    return Promise.reject(error);
  }
  return fast === undefined ? slicedDigest(value) : Promise.resolve(sha256Hex(fast));
}

async function slicedDigest(value: unknown): Promise<string> {
  const output = new DeferredOutput();
  writeCanonical(value, output);
  const hash = createHash('sha256');
  await output.drain((text) => {
    hash.update(text, 'utf8');
    return true;
  });
  return hash.digest('hex');
}

/**
 * The first `maxCharacters` of `canonicalJson(value)` and the length of the whole text (escapes
 * of long strings past the head not counted): enough for a token estimate of a huge key,
 * without building its text.
 */
export async function canonicalSample(
  value: unknown,
  maxCharacters: number,
): Promise<{ head: string; length: number }> {
  const fast = fastCanonicalJson(value);
  if (fast !== undefined) return { head: fast.slice(0, maxCharacters), length: fast.length };
  const output = new DeferredOutput();
  writeCanonical(value, output);
  const parts: string[] = [];
  let taken = 0;
  await output.drain((text) => {
    parts.push(text.slice(0, maxCharacters - taken));
    taken += Math.min(text.length, maxCharacters - taken);
    return taken < maxCharacters;
  });
  return { head: parts.join(''), length: Math.max(output.textLength, taken) };
}
