// Token counting with tiktoken, loaded on first use (building the encoder costs ~100 ms).
import { get_encoding, type Tiktoken } from 'tiktoken';

let encoder: Tiktoken | undefined;

export function countTokens(text: string): number {
  encoder ??= get_encoding('cl100k_base');
  return encoder.encode_ordinary(text).length;
}

/** True when `text` is over `maxTokens`. Every token is at least one UTF-8 byte, so short texts skip the tokenizer. */
export function exceedsTokens(text: string, maxTokens: number): boolean {
  if (Buffer.byteLength(text, 'utf8') <= maxTokens) return false;
  return countTokens(text) > maxTokens;
}
