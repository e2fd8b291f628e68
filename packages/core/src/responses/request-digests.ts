// The digests of one request (its entry id and its scope), computed once per call and hashed
// with the event loop free between slices: a key or scope may hold a whole prompt or a
// conversation with inline images, megabytes that take tens of ms to hash in one stretch.
import { entryIdAsync } from '../ids.js';
import { digestAsync } from '../keys/digest.js';

export interface RequestDigests {
  /** The entry id: the key and the user, hashed together. */
  readonly key: string;
  /** The scope's digest, hashed on first use and then remembered. */
  scope(): Promise<string>;
}

/** `user`: the user's digest (NO_USER without one). Throws DejaInputError for a key that cannot be one. */
export async function requestDigests(
  request: { key: unknown; scope?: unknown },
  user: string,
): Promise<RequestDigests> {
  const key = await entryIdAsync(request.key, user);
  let scope: Promise<string> | undefined;
  return {
    key,
    scope: () => {
      scope ??= digestAsync(request.scope ?? null);
      return scope;
    },
  };
}
