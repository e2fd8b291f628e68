// The one-pass writer of plain keys against the general writer: wherever the fast path answers, it
// answers the general writer's text to the character; wherever the general writer refuses, the
// fast path does not answer; and plain JSON data within its limits always takes the fast path (so
// the agreement below is not vacuous).
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryId, entryIdAsync } from '../ids.js';
import { canonicalDigest, canonicalJson, MAX_KEY_DEPTH, writeCanonical } from './canonical.js';
import { canonicalDigestAsync, canonicalSample } from './canonical-async.js';
import { FAST_MAX_LENGTH, fastCanonicalJson } from './canonical-fast.js';
import { TextOutput } from './canonical-output.js';

/** The general writer alone (canonicalJson tries the fast path first). */
function general(value: unknown): { text: string } | { refused: unknown } {
  const output = new TextOutput();
  try {
    writeCanonical(value, output);
  } catch (error) {
    return { refused: error };
  }
  return { text: output.text() };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Agreement of the fast path with the general writer on one value. */
function expectAgreement(value: unknown): void {
  const fast = fastCanonicalJson(value);
  const slow = general(value);
  if ('refused' in slow) {
    expect(fast).toBeUndefined();
    return;
  }
  if (fast !== undefined) expect(fast).toBe(slow.text);
  expect(canonicalJson(value)).toBe(slow.text);
  expect(canonicalDigest(value)).toBe(sha256(slow.text));
}

const anything = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** Strings that need escapes, surrogates (paired and lone), and look-alikes of canonical tags. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '\uD800', '\uDC00', '😀', 'é'),
  fc.constantFrom('@undefined', '@Date"x"', '@bigint"5"', 'a'.repeat(64), `${'a'.repeat(64)}"`),
);

const plainValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    awkwardString,
    fc.double(),
    fc.integer(),
    fc.constantFrom(true, false, null, undefined, -0, 0n, -5n),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(awkwardString, fc.constantFrom('a', 'b', 'toJSON', '__proto__')), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value;

describe('the fast path of plain keys writes exactly what the general writer writes', () => {
  it('on arbitrary values: the same text and digest, or no answer (property)', () => {
    fc.assert(fc.property(anything, expectAgreement), { numRuns: 5_000 });
  });

  it('on plain data with awkward strings, keys and numbers (property)', () => {
    fc.assert(fc.property(plainValue, expectAgreement), { numRuns: 5_000 });
  });

  it('answers for every plain JSON value within its length, so the agreement above is exercised', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const slow = general(value);
        if (!('text' in slow) || slow.text.length > FAST_MAX_LENGTH) return;
        expect(fastCanonicalJson(value)).toBe(slow.text);
      }),
      { numRuns: 3_000 },
    );
  });

  it('the async digest, the sample and entry ids take the same path to the same result (property)', async () => {
    await fc.assert(
      fc.asyncProperty(plainValue, fc.constantFrom('0', sha256('alice')), async (value, user) => {
        const slow = general(value);
        if ('refused' in slow) return;
        expect(await canonicalDigestAsync(value)).toBe(sha256(slow.text));
        expect(await canonicalSample(value, 10)).toEqual({
          head: slow.text.slice(0, 10),
          length: slow.text.length,
        });
        const wrapped = general({ v: 2, key: value, user });
        expect(await entryIdAsync(value, user)).toBe(sha256((wrapped as { text: string }).text));
        expect(entryId(value, user)).toBe(sha256((wrapped as { text: string }).text));
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('the fast path leaves to the general writer what it does not handle', () => {
  const symbol = Symbol('s');
  const hidden = { a: 1 };
  Object.defineProperty(hidden, symbol, { value: 2, enumerable: false });
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  let deep: unknown = 'leaf';
  for (let level = 0; level <= MAX_KEY_DEPTH; level++) deep = [deep];
  const holes: unknown[] = [1];
  holes[3] = 2;

  it.each([
    ['a Date given the plain prototype', Object.setPrototypeOf(new Date(0), Object.prototype)],
    ['a Map given no prototype', Object.setPrototypeOf(new Map([[1, 2]]), null)],
    ['bytes given the plain prototype', Object.setPrototypeOf(new Uint8Array([1]), Object.prototype)],
    ['an object with toJSON', { toJSON: () => 'x' }],
    ['an object with an enumerable symbol key', { [symbol]: 1 }],
    ['an object with a non-enumerable symbol key', hidden],
    ['an object from another realm', runInNewContext('({ a: 1 })')],
    ['an array from another realm', runInNewContext('[1, 2]')],
    ['an array subclass', new (class Items extends Array {})()],
    ['a cycle', cyclic],
    ['nesting past MAX_KEY_DEPTH', deep],
    ['NaN', [Number.NaN]],
    ['a function', { f: () => 1 }],
    ['a string past FAST_MAX_LENGTH', 'x'.repeat(FAST_MAX_LENGTH + 1)],
    ['many short strings past FAST_MAX_LENGTH', Array.from({ length: FAST_MAX_LENGTH / 4 }, () => 'abc')],
  ])('%s', (_name, value) => {
    expect(fastCanonicalJson(value)).toBeUndefined();
    expectAgreement(value);
  });

  it.each([
    ['an object without a prototype', Object.assign(Object.create(null), { b: 1, a: [2] })],
    ['an array with holes', holes],
    ['-0 and bigints', [-0, 5n, { n: -0 }]],
    ['undefined properties and items', { a: undefined, b: [undefined], c: 1 }],
    ['an own __proto__ key', JSON.parse('{"__proto__": {"x": 1}, "a": 2}')],
    ['more than 16 keys', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${39 - i}`, i]))],
  ])('answers for %s, as the general writer does', (_name, value) => {
    expect(fastCanonicalJson(value)).toBeDefined();
    expectAgreement(value);
  });
});
