// Token counting with tiktoken, loaded on first use (building the encoder costs ~100 ms).
import { get_encoding, type Tiktoken } from 'tiktoken';

let encoder: Tiktoken | undefined;

/**
 * Longest piece handed to the tokenizer at once. BPE merging is quadratic in the length of one
 * pre-token, so a long run without spaces (a model stuck repeating a character, or a hostile
 * prompt) would block the event loop for seconds, or minutes at 1 MB. Pieces end before a space
 * where there is one, which keeps counts of ordinary text exact.
 */
const PIECE_LENGTH = 1_000;

/** Tokens of `text` (cl100k_base); stops counting once past `limit`. */
export function countTokens(text: string, limit = Number.POSITIVE_INFINITY): number {
  encoder ??= get_encoding('cl100k_base');
  let total = 0;
  for (let start = 0; start < text.length && total <= limit; ) {
    let end = Math.min(text.length, start + PIECE_LENGTH);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space;
      else if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end++;
    }
    total += encoder.encode_ordinary(text.slice(start, end)).length;
    start = end;
  }
  return total;
}

/** True when `text` is over `maxTokens`. Every token is at least one UTF-8 byte, so short texts skip the tokenizer. */
export function exceedsTokens(text: string, maxTokens: number): boolean {
  if (Buffer.byteLength(text, 'utf8') <= maxTokens) return false;
  return countTokens(text, maxTokens) > maxTokens;
}
