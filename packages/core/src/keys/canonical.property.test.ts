// Injectivity of keys and scopes, checked against an equality written independently of the encoder:
// two generated values share a digest exactly when they are the same value under the documented
// equalities (object key order, undefined properties, -0 and 0, Map and Set order).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryId } from '../ids.js';
import { canonicalJson } from './canonical.js';
import { digest } from './digest.js';

const TYPED_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Float32Array];

/** Leaves drawn from a small pool of look-alikes, so confusable pairs come up all the time. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, 1, -1, 5, 0.5, '', '0', '1', '5', '-1', 'null', 'true', 'undefined', '@undefined'),
  fc.constantFrom(true, false, null, undefined, 0n, 1n, 5n, -1n),
  fc.constantFrom('1970-01-01T00:00:00.000Z', 'https://a.example/', '@Date"1970-01-01T00:00:00.000Z"'),
  fc.string({ maxLength: 3 }),
  fc.integer({ min: -300, max: 300 }),
  fc.constantFrom(0, 1, 1_000).map((time) => new Date(time)),
  fc.constantFrom('https://a.example/', 'https://b.example/').map((href) => new URL(href)),
  fc
    .tuple(fc.constantFrom(...TYPED_ARRAYS), fc.array(fc.constantFrom(-1, 0, 1, 255), { maxLength: 3 }))
    .map(([Kind, items]) => new Kind(items)),
  fc.array(fc.constantFrom(0, 1, 255), { maxLength: 3 }).map((bytes) => new Uint8Array(bytes).buffer),
  fc
    .array(fc.constantFrom(0, 1, 255), { maxLength: 3 })
    .map((bytes) => new DataView(new Uint8Array(bytes).buffer)),
);

const { value: keyValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', '1', '__x'), tie('value'), { maxKeys: 3 }),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => new Set(items)),
  ),
}));

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) return 'array';
  return Object.prototype.toString.call(value);
}

function bytesOf(value: ArrayBuffer | ArrayBufferView): number[] {
  const view = ArrayBuffer.isView(value) ? value : new Uint8Array(value);
  return [...new Uint8Array(view.buffer, view.byteOffset, view.byteLength)];
}

/** Pairs every item of `a` with a distinct equal item of `b` (sameValue is an equivalence). */
function sameMultiset(a: unknown[], b: unknown[], same: (x: unknown, y: unknown) => boolean): boolean {
  if (a.length !== b.length) return false;
  const unused = [...b];
  return a.every((item) => {
    const index = unused.findIndex((other) => same(item, other));
    if (index < 0) return false;
    unused.splice(index, 1);
    return true;
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (kind(a) !== kind(b)) return false;
  if (typeof a !== 'object' || a === null) return a === b;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof URL) return a.href === (b as URL).href;
  if (ArrayBuffer.isView(a) || a instanceof ArrayBuffer)
    return bytesOf(a).join() === bytesOf(b as ArrayBuffer).join();
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => sameValue(item, other[index]));
  }
  if (a instanceof Map) return sameMultiset([...a], [...(b as Map<unknown, unknown>)], sameValue);
  if (a instanceof Set) return sameMultiset([...a], [...(b as Set<unknown>)], sameValue);
  const defined = (record: object) =>
    Object.entries(record)
      .filter(([, item]) => item !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : 1));
  const left = defined(a);
  const right = defined(b as object);
  return (
    left.length === right.length &&
    left.every(([key, item], index) => key === right[index]?.[0] && sameValue(item, right[index]?.[1]))
  );
}

describe('keys are injective (property)', () => {
  it('two values share a canonical text exactly when they are the same value', () => {
    fc.assert(
      fc.property(keyValue, keyValue, (a, b) => {
        expect(canonicalJson(a) === canonicalJson(b)).toBe(sameValue(a, b));
      }),
      { numRuns: 10_000 },
    );
  });

  it('two scopes share a digest exactly when they are the same value', () => {
    fc.assert(
      fc.property(keyValue, keyValue, (a, b) => {
        expect(digest(a) === digest(b)).toBe(sameValue(a, b));
      }),
      { numRuns: 10_000 },
    );
  });

  it('entry ids (key and user hashed together) never collide across distinct keys', () => {
    fc.assert(
      fc.property(keyValue, keyValue, fc.constantFrom('0', digest('alice')), (a, b, user) => {
        expect(entryId(a, user) === entryId(b, user)).toBe(sameValue(a, b));
      }),
      { numRuns: 10_000 },
    );
  });

  it('gives one text whatever the key order and Map/Set insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 4 }), keyValue), { maxLength: 5 }), (entries) => {
        const reversed = [...entries].reverse();
        expect(canonicalJson(Object.fromEntries(entries))).toBe(
          canonicalJson(Object.fromEntries(dedupeLastWins(reversed, entries))),
        );
        expect(digest(new Set(entries.map(([, item]) => item)))).toBe(
          digest(new Set(reversed.map(([, item]) => item))),
        );
      }),
      { numRuns: 2_000 },
    );
  });
});

/** Object.fromEntries keeps the last value of a repeated key: keep the same winners in the reversed list. */
function dedupeLastWins(reversed: [string, unknown][], original: [string, unknown][]): [string, unknown][] {
  const winners = new Map(original);
  return reversed.filter(([key]) => winners.has(key)).map(([key]) => [key, winners.get(key)]);
}
