import { get_encoding } from 'tiktoken';
import { describe, expect, it } from 'vitest';
import { countTokens, exceedsTokens } from './tokens.js';

describe('countTokens', () => {
  it('counts ordinary text exactly as tiktoken does, however long', () => {
    const encoder = get_encoding('cl100k_base');
    const text = 'Héllo, wörld!  How are   you?\nFine 😀 thanks. '.repeat(500);
    expect(countTokens(text)).toBe(encoder.encode_ordinary(text).length);
    encoder.free();
  });

  it('counts a megabyte without a single space in pieces (the tokenizer is quadratic in one run)', () => {
    expect(countTokens('x'.repeat(1_000_000))).toBe(125_000);
    expect(countTokens('😀'.repeat(300_000))).toBeGreaterThan(0);
  });

  it('stops once past the limit', () => {
    expect(exceedsTokens('word '.repeat(1_000_000), 8_192)).toBe(true);
    expect(countTokens('word '.repeat(1_000_000), 10)).toBeLessThan(1_000);
  });
});
