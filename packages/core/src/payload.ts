// Cached payloads are data, never code: versioned JSON, Dates and bytes tagged so they revive,
// validated on read. Anything odd (wrong version, __proto__ keys, bad JSON) is a miss.
//
// What is written must read back as the same value, or it is refused at write time with a
// DejaInputError (the cache reports it as not-cacheable and still returns the computed answer):
// - kept: strings, finite numbers (-0 reads back as 0), booleans, null, arrays, plain objects,
//   Dates, Uint8Arrays (a Buffer reads back as a Uint8Array). A property holding `undefined` is
//   absent, as in JSON.
// - refused: `undefined` as the whole value (a cached undefined could not be told from a miss),
//   `undefined` or a hole inside an array (JSON would turn it into null), NaN and ±Infinity,
//   bigints, functions, symbols and symbol keys, other binary views, class instances, cycles, the
//   keys __proto__ / constructor / prototype, and nesting deeper than MAX_PAYLOAD_DEPTH.
// - tags: `{"$deja:date": iso}` and `{"$deja:bytes": base64}`. A user's own key that starts with
//   `$deja:` is written with the prefix doubled and read back with one prefix removed, so a value
//   shaped like a tag comes back exactly as it went in.
import { DejaInputError } from './errors.js';
import {
  BYTES_TAG,
  DATE_TAG,
  FORBIDDEN_KEYS,
  MAX_PAYLOAD_DEPTH,
  PAYLOAD_VERSION,
  TAG_PREFIX,
} from './payload-format.js';

export { decodePayload } from './payload-decode.js';
export { MAX_PAYLOAD_DEPTH, PAYLOAD_VERSION } from './payload-format.js';

/** Encodes a cacheable value; throws DejaInputError (with the reason) for what would not come back the same. */
export function encodePayload(data: unknown): string {
  if (data === undefined)
    throw new DejaInputError(
      'The value is undefined, which cannot be cached: a hit on it would read as a miss',
    );
  return JSON.stringify({ v: PAYLOAD_VERSION, data: tag(data, new Set(), 0) });
}

/**
 * Only text that spells a forbidden name, or holds a \u escape (which could spell one), can carry
 * a forbidden key; any other text takes the plain JSON.parse, which is several times faster than
 * one with a reviver. (The hit path decodes payloads and metadata without it: payload-decode.ts.)
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

/** Nodes `payloadCertainlyExceeds` looks at before it gives up (and lets the encoder decide). */
const SIZE_CHECK_NODES = 100_000;

/**
 * True when the payload of `value` certainly has more than `limit` characters: a walk that only
 * adds up the lengths of strings, keys and bytes (in base64), far cheaper than encoding, and
 * stops once past `limit` or after SIZE_CHECK_NODES values. False means "not certainly".
 */
export function payloadCertainlyExceeds(value: unknown, limit: number): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  let total = 0;
  for (let visited = 0; stack.length > 0 && visited < SIZE_CHECK_NODES; visited++) {
    const item = stack.pop();
    if (typeof item === 'string') total += item.length;
    else if (item instanceof Uint8Array) total += Math.ceil(item.byteLength / 3) * 4;
    else if (typeof item === 'object' && item !== null && !seen.has(item)) {
      seen.add(item);
      const prototype = Object.getPrototypeOf(item);
      if (Array.isArray(item)) for (const element of item) stack.push(element);
      else if (prototype === Object.prototype || prototype === null) {
        for (const [key, element] of Object.entries(item)) {
          total += key.length;
          stack.push(element);
        }
      }
    }
    if (total > limit) return true;
  }
  return false;
}

const refuse = (reason: string): never => {
  throw new DejaInputError(`The value cannot be cached: it holds ${reason}`);
};

function tag(value: unknown, seen: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : refuse(`the number ${value}, which JSON cannot keep`);
    case 'object':
      return value === null ? null : tagObject(value, seen, depth);
    default:
      return refuse(`a ${typeof value}`);
  }
}

function tagObject(object: object, seen: Set<object>, depth: number): unknown {
  if (seen.has(object)) refuse('a cycle');
  if (depth >= MAX_PAYLOAD_DEPTH) refuse(`values nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) refuse('an invalid Date');
    return { [DATE_TAG]: object.toISOString() };
  }
  if (object instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(object).toString('base64') };
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer)
    refuse('binary data other than a Uint8Array, which would not come back the same');
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const out: unknown[] = [];
      for (let index = 0; index < object.length; index++) {
        if (object[index] === undefined) refuse('undefined or a hole in an array (JSON would make it null)');
        out.push(tag(object[index], seen, depth + 1));
      }
      return out;
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null)
      refuse(`a ${object.constructor?.name ?? 'class'} instance; only plain data can be cached`);
    if (
      Object.getOwnPropertySymbols(object).some((key) =>
        Object.prototype.propertyIsEnumerable.call(object, key),
      )
    )
      refuse('symbol keys');
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      if (FORBIDDEN_KEYS.has(key)) refuse(`the key "${key}", which deja refuses to store`);
      if (item === undefined) continue;
      out[key.startsWith(TAG_PREFIX) ? TAG_PREFIX + key : key] = tag(item, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

/**
 * Why `value` would not survive JSON.stringify then parseJsonSafely unchanged (undefined when it
 * would): plain JSON only, no tags. Used for entry metadata, which is stored as plain JSON.
 */
export function plainJsonProblem(value: unknown, depth = 0, seen = new Set<object>()): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `the number ${value}`;
    case 'object':
      break;
    default:
      return `a ${typeof value}`;
  }
  if (value === null) return undefined;
  if (seen.has(value)) return 'a cycle';
  if (depth >= MAX_PAYLOAD_DEPTH) return `values nested deeper than ${MAX_PAYLOAD_DEPTH} levels`;
  const prototype = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (!isArray && prototype !== Object.prototype && prototype !== null)
    return `a ${value.constructor?.name ?? 'class'} instance (only plain JSON data)`;
  seen.add(value);
  try {
    if (isArray) {
      for (let index = 0; index < value.length; index++) {
        if (value[index] === undefined) return 'undefined or a hole in an array';
        const problem = plainJsonProblem(value[index], depth + 1, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    if (Object.getOwnPropertySymbols(value).length > 0) return 'symbol keys';
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `the key "${key}"`;
      if (item === undefined) continue;
      const problem = plainJsonProblem(item, depth + 1, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}
