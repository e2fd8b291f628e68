import { afterEach, describe, expect, it } from 'vitest';
import { countTokens, estimateTokens, exceedsTokens, SCAN_LIMIT } from './tokens.js';

/** Counts the characters the estimator reads: a bound on its work that needs no clock. */
function countReads(body: () => void): number {
  const original = String.prototype.charCodeAt;
  let reads = 0;
  String.prototype.charCodeAt = function (this: string, index: number) {
    reads++;
    return original.call(this, index);
  };
  try {
    body();
  } finally {
    String.prototype.charCodeAt = original;
  }
  return reads;
}

describe('countTokens', () => {
  afterEach(() => {
    expect(String.prototype.charCodeAt.name).toBe('charCodeAt');
  });

  it('estimates short texts the way cl100k counts them', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello')).toBe(1);
    // cl100k: 7 and 7 (tokens.calibration.test.ts compares whole documents).
    expect(countTokens('What is the capital of France?')).toBe(7);
    expect(countTokens('The capital of France is Paris.')).toBe(7);
    expect(countTokens('1234567')).toBe(3);
    expect(countTokens('今天天气很好')).toBe(6);
  });

  it('reads a 5 MB run of one character once, in one linear pass', () => {
    const text = 'x'.repeat(5_000_000);
    let estimate = 0;
    const reads = countReads(() => {
      estimate = countTokens(text);
    });
    expect(reads).toBe(SCAN_LIMIT);
    expect(estimate).toBeGreaterThan(0);
  });

  it('estimates text past SCAN_LIMIT at the rate of what it read', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog. ';
    const scanned = sentence.repeat(Math.ceil(SCAN_LIMIT / sentence.length));
    const huge = scanned.repeat(4);
    const ratio = countTokens(huge) / countTokens(scanned);
    expect(ratio).toBeGreaterThan(3.9);
    expect(ratio).toBeLessThan(4.1);
  });

  it('estimates a text from its head and length as it would from the whole text', () => {
    const text = 'Some words, 123 numbers and\nlines. '.repeat(SCAN_LIMIT / 8);
    const head = text.slice(0, SCAN_LIMIT);
    expect(estimateTokens(head, text.length)).toBe(countTokens(text));
    expect(estimateTokens('', 1_000)).toBe(0);
  });

  it('stops once past the limit, even inside one endless run', () => {
    const words = 'word '.repeat(1_000_000);
    const run = 'x'.repeat(5_000_000);
    let answers: boolean[] = [];
    const reads = countReads(() => {
      answers = [exceedsTokens(words, 8_192), exceedsTokens(run, 8_192)];
    });
    expect(answers).toEqual([true, true]);
    expect(reads).toBeLessThan(200_000);
    expect(countTokens(words, 10)).toBeLessThan(1_000);
  });

  it('says a text under the limit is not over it', () => {
    expect(exceedsTokens('a short question?', 8_192)).toBe(false);
    const hundredWords = Array.from({ length: 100 }, () => 'word').join(' ');
    expect(countTokens(hundredWords)).toBe(100);
    expect(exceedsTokens(hundredWords, 100)).toBe(false);
    expect(exceedsTokens(`${hundredWords} word`, 100)).toBe(true);
  });
});
