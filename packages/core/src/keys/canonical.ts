// Canonical text of a key or scope: one text per value, and two values that differ get two texts.
// A collision here is a wrong answer (the cached reply to one prompt served for another), so
// whatever cannot be written faithfully is refused with a DejaInputError, never written as `{}`.
//
// Rules (JSON values are written exactly as JSON, so keys made of plain data never change):
// - null, booleans, strings: JSON. Strings are compared as written (no Unicode normalisation;
//   lone surrogates are escaped, so 'a\uD800' and 'a\uDC00' stay apart).
// - numbers: JSON; -0 is 0 (as `===` and JSON have it). NaN and ±Infinity are refused.
// - plain objects (prototype Object.prototype or null): own enumerable string keys, sorted, so key
//   order does not matter; a property holding `undefined` is absent (as in JSON). Enumerable symbol
//   keys are refused.
// - arrays: in order; `undefined` and holes are written `@undefined` (not `null`: [undefined] and
//   [null] are different requests). A hole reads as undefined, as `array[i]` does.
// - everything else is tagged `@Name` + payload, a form plain JSON never takes:
//   bigint `@bigint"5"` (5n is not "5"), Date `@Date"<ISO>"` (not its ISO string), URL `@URL"<href>"`,
//   RegExp `@RegExp"/a/g"`, typed arrays, DataView, ArrayBuffer and SharedArrayBuffer
//   `@<kind>"<base64 of the bytes>"` (Int8Array [-1] is not Uint8Array [255]; a Buffer is a
//   Uint8Array), Map `@Map[[k,v],…]` with keys and values written by these rules (1 is not "1",
//   object keys keep their content) and entries sorted by their text, Set `@Set[…]` sorted the same
//   way, and `undefined` on its own `@undefined`.
// - objects with toJSON() are the value it returns (as JSON.stringify has it).
// - class instances with their own toString() (a UUID object) are that string: deliberately one key
//   with the string they print as (a toString giving the generic `[object Foo]` does not count).
// - refused: functions, symbols, Blobs and Files (their bytes cannot be read synchronously: pass
//   `await blob.arrayBuffer()`), Errors, detached buffers, invalid Dates, cycles, and any other class
//   instance (its data may live in private fields or getters that a key would silently drop).
// - bounded: nesting deeper than MAX_KEY_DEPTH and text longer than MAX_KEY_LENGTH are refused, so
//   a hostile key is a DejaInputError, not a RangeError or a long stall.
import { types } from 'node:util';
import { DejaInputError } from '../errors.js';
import { fastCanonicalJson } from './canonical-fast.js';
import { type CanonicalOutput, HashOutput, MAX_KEY_DEPTH, TextOutput } from './canonical-output.js';
import { sha256Hex } from './sha256.js';

export { MAX_KEY_DEPTH } from './canonical-output.js';

export function canonicalJson(value: unknown): string {
  // Plain data (nearly every key) in one pass; anything else by the rules below.
  const fast = fastCanonicalJson(value);
  if (fast !== undefined) return fast;
  const output = new TextOutput();
  writeCanonical(value, output);
  return output.text();
}

/** sha256 hex of `canonicalJson(value)`, hashed as it is written. */
export function canonicalDigest(value: unknown): string {
  const fast = fastCanonicalJson(value);
  if (fast !== undefined) return sha256Hex(fast);
  const output = new HashOutput();
  writeCanonical(value, output);
  return output.hex();
}

/** Writes the canonical text of `value` to `output` (canonical-async.ts drains it in slices). */
export function writeCanonical(value: unknown, output: CanonicalOutput): void {
  new Writer(output).value(value, 0);
}

const refuse = (what: string): never => {
  throw new DejaInputError(`Cannot build a cache key from ${what}`);
};

class Writer {
  private readonly seen = new Set<object>();

  constructor(private readonly out: CanonicalOutput) {}

  value(value: unknown, depth: number): void {
    if (typeof value === 'object' && value !== null) this.object(value, depth);
    else if (typeof value === 'string') this.out.writeString(value);
    else this.out.write(primitiveText(value));
  }

  private object(value: object, depth: number): void {
    if (this.seen.has(value)) refuse('a value with a cycle');
    if (depth >= MAX_KEY_DEPTH) refuse(`a value nested deeper than ${MAX_KEY_DEPTH} levels`);
    if (this.leaf(value)) return;
    this.seen.add(value);
    try {
      this.container(value, depth + 1);
    } finally {
      this.seen.delete(value);
    }
  }

  /** Values written whole, without looking inside: dates, URLs, bytes. */
  private leaf(value: object): boolean {
    // util.types checks the internal slot: right for values from another realm, unfooled by
    // Symbol.toStringTag.
    if (types.isDate(value)) {
      if (Number.isNaN(value.getTime())) refuse('an invalid Date');
      this.out.write(`@Date${JSON.stringify(value.toISOString())}`);
    } else if (ArrayBuffer.isView(value)) {
      this.bytes(kindOf(value), value.buffer, value.byteOffset, value.byteLength);
    } else if (types.isAnyArrayBuffer(value)) {
      this.bytes(kindOf(value), value, 0, value.byteLength);
    } else if (value instanceof URL) {
      this.out.write(`@URL${JSON.stringify(value.href)}`);
    } else if (types.isRegExp(value)) {
      this.out.write(`@RegExp${JSON.stringify(String(value))}`);
    } else if (typeof Blob === 'function' && value instanceof Blob) {
      refuse('a Blob or File: its bytes cannot be read synchronously (pass await blob.arrayBuffer())');
    } else return false;
    return true;
  }

  private bytes(kind: string, buffer: ArrayBufferLike, offset: number, length: number): void {
    if ((buffer as { detached?: boolean }).detached) refuse(`a detached ${kind}`);
    const base64 = Buffer.from(buffer, offset, length).toString('base64');
    this.out.write(`@${kind}"${base64}"`);
  }

  private container(value: object, depth: number): void {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (Array.isArray(value)) this.array(value, depth);
    else if (types.isMap(value)) this.map(value as Map<unknown, unknown>, depth);
    else if (types.isSet(value)) this.set(value as Set<unknown>, depth);
    else if (typeof toJSON === 'function') this.value(toJSON.call(value), depth);
    else if (isPlainObject(value)) this.plainObject(value, depth);
    else if (types.isNativeError(value) || value instanceof Error) refuse('an Error');
    else if (hasOwnStringForm(value)) this.out.write(JSON.stringify(String(value)));
    else
      refuse(
        `a ${value.constructor?.name ?? 'class'} instance: its data may live where a key cannot see it; ` +
          'give it toJSON() or toString(), or pass plain data',
      );
  }

  private array(value: unknown[], depth: number): void {
    this.out.write('[');
    for (let index = 0; index < value.length; index++) {
      if (index > 0) this.out.write(',');
      this.value(value[index], depth);
    }
    this.out.write(']');
  }

  private plainObject(value: object, depth: number): void {
    const symbols = Object.getOwnPropertySymbols(value);
    if (symbols.some((symbol) => Object.prototype.propertyIsEnumerable.call(value, symbol)))
      refuse('an object with symbol keys');
    // The default sort compares UTF-16 code units: one order on every platform.
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    let separator = '{';
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      this.out.write(`${separator}${JSON.stringify(key)}:`);
      this.value(item, depth);
      separator = ',';
    }
    this.out.write(separator === '{' ? '{}' : '}');
  }

  private map(value: Map<unknown, unknown>, depth: number): void {
    const entries = [...value].map(([key, item]) =>
      this.out.capture(() => {
        this.out.write('[');
        this.value(key, depth);
        this.out.write(',');
        this.value(item, depth);
        this.out.write(']');
      }),
    );
    this.sorted('@Map', entries);
  }

  private set(value: Set<unknown>, depth: number): void {
    this.sorted(
      '@Set',
      [...value].map((item) => this.out.capture(() => this.value(item, depth))),
    );
  }

  /** Maps and Sets have no order that means anything: their items are sorted by their text. */
  private sorted(tag: string, items: string[]): void {
    items.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.out.write(`${tag}[`);
    items.forEach((item, index) => {
      if (index > 0) this.out.write(',');
      this.out.writeCaptured(item);
    });
    this.out.write(']');
  }
}

function primitiveText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // JSON writes -0 as 0: one number, as === has it.
      return Number.isFinite(value) ? JSON.stringify(value) : refuse(`the number ${value}`);
    case 'bigint':
      return `@bigint"${value.toString()}"`;
    case 'undefined':
      return '@undefined';
    default:
      return value === null ? 'null' : refuse(`a ${typeof value}`);
  }
}

/** The built-in kind ('Int8Array', 'DataView', 'ArrayBuffer'…), the same for subclasses such as Buffer. */
function kindOf(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** Object literals, Object.create(null), and object literals from another realm (vm, iframe). */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  if (prototype === null || prototype === Object.prototype) return true;
  return (
    Object.getPrototypeOf(prototype) === null &&
    typeof prototype.constructor === 'function' &&
    prototype.constructor.name === 'Object'
  );
}

/**
 * Class instances such as UUID objects that define their own string form. A toString that gives
 * the generic `[object Foo]` says nothing about the instance, so it does not count.
 */
function hasOwnStringForm(value: object): boolean {
  const ownToString = (value as { toString?: unknown }).toString;
  if (typeof ownToString !== 'function' || ownToString === Object.prototype.toString) return false;
  return String(value) !== Object.prototype.toString.call(value);
}
