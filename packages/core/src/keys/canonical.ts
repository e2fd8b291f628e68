// Canonical JSON: one string per value, whatever the key order or the value's runtime type.
// A UUID object and its string form, a Date and its ISO string, give the same text.
import { DejaInputError } from '../errors.js';

export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, seen: Set<object>): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new DejaInputError(`Cannot build a cache key from the number ${value}`);
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object':
      return writeObject(value, seen);
    default:
      throw new DejaInputError(`Cannot build a cache key from a ${typeof value}`);
  }
}

function writeObject(value: object, seen: Set<object>): string {
  if (seen.has(value)) throw new DejaInputError('Cannot build a cache key from a value with a cycle');
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new DejaInputError('Cannot build a cache key from an invalid Date');
    return JSON.stringify(value.toISOString());
  }
  if (ArrayBuffer.isView(value)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return JSON.stringify(`base64:${Buffer.from(bytes).toString('base64')}`);
  }
  if (value instanceof URL) return JSON.stringify(value.href);
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((item) => write(item, seen)).join(',')}]`;
    if (value instanceof Map)
      return writeEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        seen,
      );
    if (value instanceof Set)
      return `[${[...value]
        .map((item) => write(item, seen))
        .sort()
        .join(',')}]`;
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return write(toJSON.call(value), seen);
    if (!isPlainObject(value) && hasOwnToString(value)) return JSON.stringify(String(value));
    return writeEntries(Object.entries(value), seen);
  } finally {
    seen.delete(value);
  }
}

function writeEntries(entries: [string, unknown][], seen: Set<object>): string {
  const parts = entries
    .filter(([, item]) => item !== undefined && typeof item !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, item]) => `${JSON.stringify(key)}:${write(item, seen)}`);
  return `{${parts.join(',')}}`;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

/** Class instances such as UUID objects that define their own string form. */
function hasOwnToString(value: object): boolean {
  return (
    typeof (value as { toString?: unknown }).toString === 'function' &&
    value.toString !== Object.prototype.toString
  );
}
