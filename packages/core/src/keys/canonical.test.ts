import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DejaInputError } from '../errors.js';
import { canonicalJson, MAX_KEY_DEPTH } from './canonical.js';
import { MAX_KEY_LENGTH } from './canonical-output.js';
import { digest } from './digest.js';

class Uuid {
  constructor(private readonly value: string) {}
  toString() {
    return this.value;
  }
}

const refusal = (value: unknown): unknown => {
  try {
    digest(value);
  } catch (error) {
    return error;
  }
  return 'no refusal';
};

describe('canonicalJson keeps the deliberate equalities', () => {
  it('ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [true, null], c: undefined })).toBe(
      canonicalJson({ a: [true, null], b: 1 }),
    );
  });

  it('gives a UUID object and its string the same key', () => {
    const id = '4b0c9f3e-8d2a-4c1b-9e7f-2a3b4c5d6e7f';
    expect(digest(new Uuid(id))).toBe(digest(id));
    expect(digest({ user: new Uuid(id) })).toBe(digest({ user: id }));
  });

  it('writes plain JSON values exactly as JSON, so existing keys of plain data keep their digest', () => {
    const value = { model: 'gpt-x', messages: [{ role: 'user', content: 'hi' }], temperature: 0.5, n: null };
    expect(canonicalJson(value)).toBe(
      '{"messages":[{"content":"hi","role":"user"}],"model":"gpt-x","n":null,"temperature":0.5}',
    );
    expect(digest('tenant 5')).toBe(createHash('sha256').update('"tenant 5"').digest('hex'));
  });

  it('orders Map entries and Set items by content, not insertion', () => {
    const forwards = new Map<unknown, unknown>([
      ['a', 1],
      [2, 'b'],
    ]);
    const backwards = new Map<unknown, unknown>([
      [2, 'b'],
      ['a', 1],
    ]);
    expect(digest(forwards)).toBe(digest(backwards));
    expect(digest(new Set([1, 'x', 2n]))).toBe(digest(new Set([2n, 'x', 1])));
  });

  it('treats -0 as 0 and a Buffer as the Uint8Array of its bytes', () => {
    expect(digest(-0)).toBe(digest(0));
    expect(digest(Buffer.from([1, 2]))).toBe(digest(new Uint8Array([1, 2])));
  });
});

describe('canonicalJson keeps types apart (each pair collided before)', () => {
  const pairs: [string, unknown, unknown][] = [
    ['Int8Array [-1] vs Uint8Array [255]', new Int8Array([-1]), new Uint8Array([255])],
    ['Uint8Array vs its base64 text', new Uint8Array([1]), 'base64:AQ=='],
    ['Map {1: x} vs Map {"1": x}', new Map([[1, 'x']]), new Map([['1', 'x']])],
    ['Map vs the object of its entries', new Map([['a', 1]]), { a: 1 }],
    ['Map keyed by two different objects', new Map([[{ file: 'A' }, 1]]), new Map([[{ file: 'B' }, 1]])],
    ['5n vs "5"', 5n, '5'],
    ['5n vs 5', 5n, 5],
    ['a Date vs its ISO string', new Date('2026-01-02T03:04:05.000Z'), '2026-01-02T03:04:05.000Z'],
    ['a Set vs the array of its items', new Set([1, 2]), [1, 2]],
    ['a URL vs its href', new URL('https://example.com/a'), 'https://example.com/a'],
    ['[undefined] vs [null]', [undefined], [null]],
    ['undefined vs null', undefined, null],
    ['ArrayBuffer A vs ArrayBuffer B', new Uint8Array([1]).buffer, new Uint8Array([2]).buffer],
    ['ArrayBuffer vs Uint8Array of the same bytes', new Uint8Array([1]).buffer, new Uint8Array([1])],
    [
      'DataView A vs DataView B',
      new DataView(new Uint8Array([1]).buffer),
      new DataView(new Uint8Array([2]).buffer),
    ],
    ['number 1 vs string "1"', 1, '1'],
    ['array [1,2] vs string "1,2"', [1, 2], '1,2'],
    ['lone surrogates that UTF-8 would merge', 'a\uD800', 'a\uDC00'],
  ];

  it.each(pairs)('%s', (_name, a, b) => {
    expect(digest(a)).not.toBe(digest(b));
    expect(digest({ nested: [a] })).not.toBe(digest({ nested: [b] }));
  });

  it('a view is only the bytes it shows (not the rest of its buffer)', () => {
    expect(digest(new Uint8Array([1, 2, 3]).subarray(1, 2))).toBe(digest(new Uint8Array([2])));
    expect(digest(new Uint8Array([1, 2, 3]).subarray(1, 2))).not.toBe(digest(new Uint8Array([1, 2, 3])));
  });
});

describe('canonicalJson refuses what it cannot write faithfully', () => {
  class Secret {
    readonly #file: string;
    constructor(file: string) {
      this.#file = file;
    }
    get file(): string {
      return this.#file;
    }
  }

  it.each([
    ['a Blob', new Blob(['file A'])],
    ['a class instance with private fields', new Secret('A')],
    [
      'a class instance whose toString is the generic one',
      new (class Tagged {
        toString() {
          return '[object Object]';
        }
      })(),
    ],
    ['an object inheriting its data', Object.create({ file: 'A' })],
    ['a function', () => 1],
    ['a function as a property', { compute: () => 1 }],
    ['a symbol', Symbol('x')],
    ['symbol keys', { [Symbol('x')]: 1 }],
    ['an Error', new Error('boom')],
    ['a WeakMap', new WeakMap()],
    ['a Promise', Promise.resolve(1)],
    ['an invalid Date', new Date(Number.NaN)],
    ['NaN', { x: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
  ])('refuses %s with a DejaInputError', (_name, value) => {
    expect(refusal(value)).toBeInstanceOf(DejaInputError);
    expect(refusal({ key: value })).toBeInstanceOf(DejaInputError);
  });

  it('refuses cycles, including through a Map or Set', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    const map = new Map<string, unknown>();
    map.set('self', map);
    expect(refusal(map)).toBeInstanceOf(DejaInputError);
  });

  it('refuses a key nested 10,000 deep with a DejaInputError, not a RangeError', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 10_000; level++) deep = [deep];
    const error = refusal(deep);
    expect(error).toBeInstanceOf(DejaInputError);
    expect((error as Error).message).toMatch(/nested deeper/);
  });

  it('accepts nesting up to the limit', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < MAX_KEY_DEPTH; level++) deep = { next: deep };
    expect(digest(deep)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a key whose canonical text is over the length limit, before building it whole', () => {
    const half = 'x'.repeat(MAX_KEY_LENGTH / 2);
    expect(refusal([half, half])).toBeInstanceOf(DejaInputError);
  });

  it('hashes a big key as it writes it: the digest is the sha256 of the canonical text', () => {
    const value = { prompt: 'word '.repeat(200_000), files: [new Uint8Array(300_000).fill(7)] };
    expect(digest(value)).toBe(createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex'));
  });
});
