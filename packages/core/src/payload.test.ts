import { describe, expect, it } from 'vitest';
import { DejaInputError } from './errors.js';
import { decodePayload, encodePayload, MAX_PAYLOAD_DEPTH, parseJsonSafely } from './payload.js';

const roundTrip = (value: unknown) => decodePayload(encodePayload(value))?.data;

const refusal = (value: unknown): unknown => {
  try {
    encodePayload(value);
  } catch (error) {
    return error;
  }
  return 'no refusal';
};

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = { next: value };
  return value;
}

describe('payload', () => {
  it('round-trips plain data, Dates and bytes', () => {
    const value = {
      text: 'hi',
      at: new Date(5),
      bytes: new Uint8Array([1, 2, 255]),
      list: [1, 'two', null],
      nested: { ok: true },
    };
    expect(roundTrip(value)).toEqual(value);
  });

  it("round-trips user values shaped like the payload's own tags", () => {
    const values = [
      { '$deja:date': '2026-01-02T03:04:05.000Z' },
      { '$deja:bytes': 'AQID' },
      { '$deja:date': 5 },
      { '$deja:$deja:date': 'x', '$deja:': 1, $deja: 2 },
      [{ '$deja:bytes': { '$deja:date': new Date(7) } }],
      { '$deja:date': '2026-01-02T03:04:05.000Z', other: 1 },
    ];
    for (const value of values) expect(roundTrip(value)).toStrictEqual(value);
  });

  it('still reads version 1 payloads (written before tag keys were escaped)', () => {
    expect(
      decodePayload('{"v":1,"data":{"$deja:foo":1,"d":{"$deja:date":"1970-01-01T00:00:00.005Z"}}}')?.data,
    ).toEqual({
      '$deja:foo': 1,
      d: new Date(5),
    });
  });

  it('reads a bare tag key out of place in a version 2 payload as nothing (it was not written by deja)', () => {
    expect(decodePayload('{"v":2,"data":{"$deja:date":"x","other":1}}')).toBeUndefined();
    expect(decodePayload('{"v":2,"data":{"$deja:foo":1}}')).toBeUndefined();
  });

  it.each([
    ['NaN', { n: Number.NaN }],
    ['a function', { f: () => 1 }],
    ['a URL', new URL('https://example.com')],
    ['a BigInt', { big: 1n }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
    ['a constructor key', { constructor: 1 }],
    ['undefined as the whole value', undefined],
    ['undefined in an array', [1, undefined]],
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    ['a hole in an array', [1, , 2]],
    ['a symbol', { s: Symbol('x') }],
    ['symbol keys', { [Symbol('x')]: 1 }],
    ['an Int8Array', new Int8Array([1])],
    ['an ArrayBuffer', new ArrayBuffer(2)],
    ['an invalid Date', new Date(Number.NaN)],
    ['a class instance', new (class Thing {})()],
    ['a Map', new Map([[1, 2]])],
  ])('refuses %s with a DejaInputError that says why', (_name, value) => {
    const error = refusal(value);
    expect(error).toBeInstanceOf(DejaInputError);
    expect((error as Error).message).toMatch(/cannot be cached/);
  });

  it('refuses cycles and values nested 10,000 deep with a DejaInputError, not a RangeError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(refusal(cyclic)).toBeInstanceOf(DejaInputError);
    expect(refusal(nested(10_000))).toBeInstanceOf(DejaInputError);
    let deepArray: unknown = 1;
    for (let level = 0; level < 10_000; level++) deepArray = [deepArray];
    expect(refusal(deepArray)).toBeInstanceOf(DejaInputError);
  });

  it('keeps values up to the depth limit, and the reader agrees with the writer on that limit', () => {
    const deepest = nested(MAX_PAYLOAD_DEPTH - 1);
    expect(roundTrip(deepest)).toEqual(deepest);
    expect(refusal(nested(MAX_PAYLOAD_DEPTH + 1))).toBeInstanceOf(DejaInputError);
    const tooDeep = `{"v":2,"data":${'{"a":'.repeat(MAX_PAYLOAD_DEPTH + 1)}1${'}'.repeat(MAX_PAYLOAD_DEPTH + 1)}}`;
    expect(decodePayload(tooDeep)).toBeUndefined();
  });

  it('stores -0 as 0 and leaves out properties holding undefined (as JSON does)', () => {
    expect(Object.is(roundTrip(-0), 0)).toBe(true);
    expect(roundTrip({ a: 1, b: undefined })).toStrictEqual({ a: 1 });
  });

  it('reads tampered payloads as nothing', () => {
    expect(decodePayload('not json')).toBeUndefined();
    expect(decodePayload('{"v":3,"data":"x"}')).toBeUndefined();
    expect(decodePayload('{"v":2}')).toBeUndefined();
    expect(decodePayload('{"v":1,"data":{"__proto__":{"polluted":true}}}')).toBeUndefined();
    expect(decodePayload('{"v":1,"data":"x","extra":1}')).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses forbidden keys however the JSON spells them, and parses everything else', () => {
    // \u escapes spell the same key; they must not slip past the fast path.
    expect(parseJsonSafely('{"\\u005f_proto__":{"polluted":true}}')).toBeUndefined();
    expect(parseJsonSafely('{"a":{"constructor":{"prototype":{"polluted":true}}}}')).toBeUndefined();
    expect(decodePayload('{"v":1,"data":{"\\u0070rototype":1}}')).toBeUndefined();
    // Forbidden words inside values are fine, with or without escapes elsewhere.
    expect(parseJsonSafely('{"text":"a constructor builds a prototype"}')).toEqual({
      text: 'a constructor builds a prototype',
    });
    expect(parseJsonSafely('{"text":"caf\\u00e9"}')).toEqual({ text: 'café' });
    expect(parseJsonSafely('{"text":"plain","n":[1,2,{"x":null}]}')).toEqual({
      text: 'plain',
      n: [1, 2, { x: null }],
    });
    expect(parseJsonSafely('{"broken"')).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
