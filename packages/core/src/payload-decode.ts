// Reading a stored payload back (payload.ts writes it). Anything odd (bad JSON, another version,
// an extra envelope field, a forbidden key at any depth, a misplaced tag, nesting past the limit)
// reads as undefined: a miss, never a throw and never a wrong value.
//
// One JSON.parse, then one walk that checks the envelope, refuses forbidden keys, revives Dates and
// bytes and unescapes `$deja:` keys. The walk changes in place what JSON.parse has just made
// (nobody else holds it): a hit costs one parse and one walk, not a scan of the text for forbidden
// words, a schema's copy of the envelope and a copy of the whole value. JSON.parse itself cannot
// pollute a prototype: it makes `__proto__` an own property, which the walk then refuses.
import {
  BYTES_TAG,
  DATE_TAG,
  FORBIDDEN_KEYS,
  LEGACY_VERSION,
  MAX_PAYLOAD_DEPTH,
  PAYLOAD_VERSION,
  TAG_PREFIX,
} from './payload-format.js';

/** Decodes a stored payload; undefined when it is not one this version wrote. */
export function decodePayload(text: string): { data: unknown } | undefined {
  try {
    const envelope: unknown = JSON.parse(text);
    if (!isEnvelope(envelope)) return undefined;
    return { data: untag(envelope.data, envelope.v === PAYLOAD_VERSION, 0) };
  } catch {
    return undefined;
  }
}

/** `{"v":1|2,"data":…}` and nothing else, with data present. */
function isEnvelope(value: unknown): value is { v: number; data: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key of Object.keys(value)) if (key !== 'v' && key !== 'data') return false;
  const { v, data } = value as { v?: unknown; data?: unknown };
  return (v === PAYLOAD_VERSION || v === LEGACY_VERSION) && data !== undefined;
}

/**
 * The value `stored` (fresh from JSON.parse) stands for, reusing its objects. `escaped`: written
 * with `$deja:` keys escaped (version 2). Throws on anything odd.
 */
function untag(stored: unknown, escaped: boolean, depth: number): unknown {
  if (stored === null || typeof stored !== 'object') return stored;
  if (depth >= MAX_PAYLOAD_DEPTH) throw new Error('nested too deep');
  if (Array.isArray(stored)) {
    for (let index = 0; index < stored.length; index++) {
      const item: unknown = stored[index];
      if (item !== null && typeof item === 'object') stored[index] = untag(item, escaped, depth + 1);
    }
    return stored;
  }
  const record = stored as Record<string, unknown>;
  const keys = Object.keys(record);
  let tagged = false;
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) throw new Error('forbidden key');
    if (key.startsWith(TAG_PREFIX)) tagged = true;
  }
  if (tagged && keys.length === 1) {
    const tag = record[DATE_TAG];
    if (typeof tag === 'string') {
      const date = new Date(tag);
      if (Number.isNaN(date.getTime())) throw new Error('bad date');
      return date;
    }
    const bytes = record[BYTES_TAG];
    // A Uint8Array of its own, not a Buffer: the value reads back as the type it was.
    if (typeof bytes === 'string') return new Uint8Array(Buffer.from(bytes, 'base64'));
  }
  if (tagged && escaped) return unescapeKeys(record, keys, depth);
  for (const key of keys) {
    const item = record[key];
    if (item !== null && typeof item === 'object') record[key] = untag(item, escaped, depth + 1);
  }
  return record;
}

/** An object of a version-2 payload with `$deja:` keys: the writer doubled the prefix of each. */
function unescapeKeys(record: Record<string, unknown>, keys: string[], depth: number): unknown {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    let name = key;
    if (key.startsWith(TAG_PREFIX)) {
      // A bare prefix is a tag out of place.
      if (!key.startsWith(TAG_PREFIX + TAG_PREFIX)) throw new Error('unescaped tag key');
      name = key.slice(TAG_PREFIX.length);
    }
    out[name] = untag(record[key], true, depth + 1);
  }
  return out;
}
