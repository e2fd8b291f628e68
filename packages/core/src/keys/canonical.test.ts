import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import { digest } from './digest.js';

class Uuid {
  constructor(private readonly value: string) {}
  toString() {
    return this.value;
  }
}

describe('canonicalJson', () => {
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

  it('gives a Date and its ISO string the same key, and Map the same as an object', () => {
    const date = new Date('2026-01-02T03:04:05.000Z');
    expect(canonicalJson(date)).toBe(canonicalJson(date.toISOString()));
    expect(
      canonicalJson(
        new Map([
          ['b', 2],
          ['a', 1],
        ]),
      ),
    ).toBe(canonicalJson({ a: 1, b: 2 }));
  });

  it('keeps types apart: the number 1 is not the string "1"', () => {
    expect(digest(1)).not.toBe(digest('1'));
    expect(digest([1, 2])).not.toBe(digest('1,2'));
  });

  it('keeps lone surrogates apart (UTF-8 would turn both into U+FFFD)', () => {
    expect(digest('a\uD800')).not.toBe(digest('a\uDC00'));
  });

  it('refuses cycles and non-finite numbers with a typed error', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/NaN/);
  });
});
