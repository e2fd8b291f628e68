import { describe, expect, it } from 'vitest';
import { DejaInputError } from './errors.js';
import { decodePayload, encodePayload, parseJsonSafely } from './payload.js';

describe('payload', () => {
  it('round-trips plain data, Dates and bytes', () => {
    const value = {
      text: 'hi',
      at: new Date(5),
      bytes: new Uint8Array([1, 2, 255]),
      list: [1, 'two', null],
      nested: { ok: true },
    };
    expect(decodePayload(encodePayload(value))?.data).toEqual(value);
  });

  it('refuses what would not come back the same', () => {
    expect(() => encodePayload({ n: Number.NaN })).toThrow(DejaInputError);
    expect(() => encodePayload({ f: () => 1 })).toThrow(DejaInputError);
    expect(() => encodePayload(new URL('https://example.com'))).toThrow(DejaInputError);
    expect(() => encodePayload({ big: 1n })).toThrow(DejaInputError);
    expect(() => encodePayload(JSON.parse('{"__proto__": {"polluted": true}}'))).toThrow(DejaInputError);
  });

  it('reads tampered payloads as nothing', () => {
    expect(decodePayload('not json')).toBeUndefined();
    expect(decodePayload('{"v":2,"data":"x"}')).toBeUndefined();
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
