// The stored form of a cached value, shared by its writer (payload.ts) and its reader
// (payload-decode.ts): `{"v":2,"data":…}`, with Dates and bytes tagged and user keys that start
// with the tag prefix escaped (see payload.ts for the rules).

/** 2: keys starting with `$deja:` are escaped. Version 1 entries (no escaping) are still read. */
export const PAYLOAD_VERSION = 2;
export const LEGACY_VERSION = 1;

/** Deepest nesting a cached value may have; deeper values are refused, never a RangeError. */
export const MAX_PAYLOAD_DEPTH = 256;

/** Keys never written and never read: they could pollute a prototype in code that copies values. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
export const TAG_PREFIX = '$deja:';
export const DATE_TAG = '$deja:date';
export const BYTES_TAG = '$deja:bytes';
