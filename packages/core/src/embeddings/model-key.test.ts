import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelKeySegment } from './model-key.js';

describe('modelKeySegment', () => {
  it('keeps ids without key characters as they are (existing keys stay put)', () => {
    for (const id of ['deja-lexical-3gram-256', 'text-embedding-3-small', 'openai.embedding', 'Émbed_v2'])
      expect(modelKeySegment(id)).toBe(id);
  });

  it('percent-encodes braces, colons, percent, whitespace and controls', () => {
    expect(modelKeySegment('openai.embedding:text-embedding-3-small')).toBe(
      'openai.embedding%3Atext-embedding-3-small',
    );
    expect(modelKeySegment('a {b}')).toBe('a%20%7Bb%7D');
    expect(modelKeySegment('50%')).toBe('50%25');
    expect(modelKeySegment('tab\there\nnul\u0000')).toBe('tab%09here%0Anul%00');
    expect(modelKeySegment('nb\u00a0sp')).toBe('nb%C2%A0sp');
  });

  it('never lets {, } or : through, and never maps two ids onto one segment', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(modelKeySegment(a)).not.toMatch(/[{}:\s]/);
        if (a !== b) expect(modelKeySegment(a)).not.toBe(modelKeySegment(b));
      }),
    );
    // The collision a replace-with-underscore escape would make.
    expect(modelKeySegment('a b')).not.toBe(modelKeySegment('a_b'));
  });
});
