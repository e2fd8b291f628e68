// A token estimate without a tokenizer: one pass over the text, counting runs of characters by
// class. deja only needs tokens for two things, a cap on what is embedded (maxTextTokens) and
// the cost a hit saves when the provider gave no usage, and neither is worth 23 MB of tokenizer
// nor seconds of blocked event loop (BPE is quadratic in one long run: 10.9 s for 5 MB of one
// character). Work is linear, stops once past `limit`, and looks at most SCAN_LIMIT characters.
//
// The rules mirror cl100k_base's pre-tokenizer (words, 3-digit groups, a space or mark joining
// the word after it); the weights were fitted to OpenAI's cl100k_base counts (tiktoken, a
// devDependency used only by tokens.calibration.test.ts, which measures them again on every run).
// Measured error per document: English (dev-set questions, READMEs) -6 % to +10 %, TypeScript
// -1 % to +1.5 %, JSON +1 % to +7 %, Chinese, Japanese, Korean, Russian -4 % to +5 %, German and
// French -9 %, numbers -7 %, emoji 0 %: those samples were fitted on. On held-out files (two
// TypeScript files, two READMEs): -3 % to +7 %. A single run of one character is over-counted
// (about 2 letters a token where BPE finds 8): the estimate errs toward "too long to embed".

/**
 * Characters looked at; past this, the rest is estimated at the rate of what was seen. A read of
 * this many is the longest piece of synchronous work in storing an answer (about 2 ms here;
 * 1 MiB was 7 ms, the stall a 5 MB prompt caused once key hashing yielded).
 */
export const SCAN_LIMIT = 1 << 18;

/** A run this long is counted and restarted, so one endless run still meets the limit check. */
const RUN_CHUNK = 1_024;

const CharClass = {
  letter: 0,
  digit: 1,
  space: 2,
  newline: 3,
  punctuation: 4,
  /** Han, kana, Hangul: about one token per character in cl100k. */
  cjk: 5,
  /** Other letters outside ASCII (accents, Cyrillic, Greek…): a few bytes a token. */
  otherLetter: 6,
  /** A surrogate pair (emoji and other astral characters), counted per code unit. */
  astral: 7,
  /** General punctuation, arrows, dingbats (U+2000–U+2BFF): often several tokens each. */
  symbol: 8,
  /** Before the first and after the last character. */
  none: 9,
} as const;
type CharClass = (typeof CharClass)[keyof typeof CharClass];

/**
 * Tokens of a run of `length` characters of one class, given the runs around it. The rules
 * mirror cl100k's pre-tokenizer: one space or one punctuation mark joins the word after it,
 * punctuation takes the newlines after it, numbers split into groups of three digits.
 */
function runTokens(run: CharClass, length: number, previous: CharClass, next: CharClass): number {
  switch (run) {
    case CharClass.letter:
      // Words up to 7 letters are one token; longer words and identifiers split about every 2 more.
      return length <= 7 ? 1 : 1 + (length - 7) / 2;
    case CharClass.digit:
      return Math.ceil(length / 3);
    case CharClass.space:
      if (length > 1) return 1;
      return next === CharClass.letter || next === CharClass.punctuation ? 0 : 0.66;
    case CharClass.newline:
      return previous === CharClass.punctuation ? 0 : 1.5;
    case CharClass.punctuation:
      return length === 1 && next === CharClass.letter ? 0 : 0.95;
    case CharClass.cjk:
      return length;
    case CharClass.otherLetter:
      return length * 0.31;
    case CharClass.astral:
      return length * 0.66;
    case CharClass.symbol:
      return length * 1.45;
    default:
      return 0;
  }
}

function classOf(code: number): CharClass {
  if (code < 0x80) {
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) return CharClass.letter;
    if (code >= 0x30 && code <= 0x39) return CharClass.digit;
    if (code === 0x20 || code === 0x09) return CharClass.space;
    if (code === 0x0a || code === 0x0d) return CharClass.newline;
    return CharClass.punctuation;
  }
  if (code >= 0xd800 && code <= 0xdfff) return CharClass.astral;
  if (
    (code >= 0x3040 && code <= 0x30ff) || // kana
    (code >= 0x3400 && code <= 0x9fff) || // CJK ideographs
    (code >= 0xac00 && code <= 0xd7af) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xff00 && code <= 0xffef) // full-width forms
  )
    return CharClass.cjk;
  if (code >= 0x2000 && code <= 0x2bff) return CharClass.symbol;
  return CharClass.otherLetter;
}

/** Estimated tokens of `text` (cl100k-like); stops counting once past `limit`. */
export function countTokens(text: string, limit = Number.POSITIVE_INFINITY): number {
  return estimateTokens(text, text.length, limit);
}

/**
 * Estimated tokens of a text of `length` characters that begins with `head` (at most
 * SCAN_LIMIT of it is read; the rest is taken to be like what was read).
 */
export function estimateTokens(head: string, length: number, limit = Number.POSITIVE_INFINITY): number {
  const text = head;
  const scanned = Math.min(text.length, SCAN_LIMIT);
  let total = 0;
  let previous: CharClass = CharClass.none;
  let run: CharClass = CharClass.none;
  let runLength = 0;
  for (let index = 0; index < scanned; index++) {
    const charClass = classOf(text.charCodeAt(index));
    if (charClass !== run || runLength === RUN_CHUNK) {
      total += runTokens(run, runLength, previous, charClass);
      if (total > limit) return Math.ceil(total);
      if (charClass !== run) previous = run;
      run = charClass;
      runLength = 0;
    }
    runLength++;
  }
  total += runTokens(run, runLength, previous, CharClass.none);
  // Past SCAN_LIMIT the rest is taken to be like what was read: an estimate, in bounded time.
  if (scanned > 0 && scanned < length) total *= length / scanned;
  return Math.ceil(total);
}

/** True when `text` is over `maxTokens`; stops reading as soon as it is. */
export function exceedsTokens(text: string, maxTokens: number): boolean {
  return countTokens(text, maxTokens) > maxTokens;
}
