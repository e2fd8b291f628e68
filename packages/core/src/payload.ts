// Cached payloads are data, never code: versioned JSON, Dates and bytes tagged so they revive,
// validated on read. Anything odd (wrong version, __proto__ keys, bad JSON) is a miss.
import { z } from 'zod';
import { DejaInputError } from './errors.js';

export const PAYLOAD_VERSION = 1;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const DATE_TAG = '$deja:date';
const BYTES_TAG = '$deja:bytes';

const envelopeSchema = z.object({ v: z.literal(PAYLOAD_VERSION), data: z.unknown() }).strict();

/** Encodes a JSON-able value; throws DejaInputError for what would not come back the same. */
export function encodePayload(data: unknown): string {
  return JSON.stringify({ v: PAYLOAD_VERSION, data: tag(data, new Set()) });
}

/**
 * Only text that spells a forbidden name, or holds a \u escape (which could spell one), can carry
 * a forbidden key; any other text takes the plain JSON.parse, which is several times faster than
 * one with a reviver (it matters on every hit: a replayed stream is tens of KB).
 */
const MAY_HOLD_FORBIDDEN_KEY = /__proto__|constructor|prototype|\\u/;

/** JSON.parse that refuses prototype-polluting keys; undefined for anything unparsable. */
export function parseJsonSafely(text: string): unknown {
  try {
    if (!MAY_HOLD_FORBIDDEN_KEY.test(text)) return JSON.parse(text);
    return JSON.parse(text, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) throw new Error('forbidden key');
      return value;
    });
  } catch {
    return undefined;
  }
}

/** Decodes a stored payload; undefined when it is not one this version wrote. */
export function decodePayload(text: string): { data: unknown } | undefined {
  const parsed = parseJsonSafely(text);
  const envelope = envelopeSchema.safeParse(parsed);
  if (!envelope.success) return undefined;
  try {
    return { data: untag(envelope.data.data) };
  } catch {
    return undefined;
  }
}

function tag(value: unknown, seen: Set<object>): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value))
        throw new DejaInputError(`Response holds the number ${value}, which JSON cannot keep`);
      return value;
    case 'undefined':
      return undefined;
    case 'object':
      break;
    default:
      throw new DejaInputError(`Response holds a ${typeof value}, which cannot be cached`);
  }
  const object = value as object;
  if (seen.has(object)) throw new DejaInputError('Response holds a cycle and cannot be cached');
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) throw new DejaInputError('Response holds an invalid Date');
    return { [DATE_TAG]: object.toISOString() };
  }
  if (object instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(object).toString('base64') };
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
    throw new DejaInputError(
      'Response holds binary data other than a Uint8Array; it cannot be cached exactly',
    );
  }
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item) => tag(item, seen) ?? null);
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new DejaInputError(
        `Response holds a ${object.constructor?.name ?? 'class'} instance; only plain data can be cached`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      if (FORBIDDEN_KEYS.has(key))
        throw new DejaInputError(`Response holds the key "${key}", which deja refuses to store`);
      const tagged = tag(item, seen);
      if (tagged !== undefined) out[key] = tagged;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record[DATE_TAG] === 'string') {
    const date = new Date(record[DATE_TAG]);
    if (Number.isNaN(date.getTime())) throw new Error('bad date');
    return date;
  }
  if (keys.length === 1 && typeof record[BYTES_TAG] === 'string') {
    return new Uint8Array(Buffer.from(record[BYTES_TAG], 'base64'));
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = untag(record[key]);
  return out;
}
