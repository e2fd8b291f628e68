// Where canonical text goes: into a string (canonicalJson) or straight into a sha256 (digest), so
// a multi-megabyte key is hashed as it is written instead of first being joined into one string.
import { createHash, type Hash } from 'node:crypto';
import { DejaInputError } from '../errors.js';

/**
 * Longest canonical text of one key or scope, in UTF-16 code units. Work is linear in it, so this
 * bounds how long one digest can hold the event loop (a few tens of ms per 16 MiB on a loaded
 * box). A prompt with several large inline images fits; a key past it is refused, not truncated
 * (a truncated key would make two requests share an answer).
 */
export const MAX_KEY_LENGTH = 64 * 1024 * 1024;

/** Deepest nesting of arrays, objects, Maps and Sets a key may have. */
export const MAX_KEY_DEPTH = 256;

/** Hash input is handed to sha256 in pieces of about this many characters. */
const HASH_CHUNK = 64 * 1024;

/** A string at least this long is escaped in slices, never as one multi-megabyte JSON text. */
export const STRING_SLICE = 1 << 18;

export interface CanonicalOutput {
  /** Appends canonical text; throws DejaInputError once the total passes MAX_KEY_LENGTH. */
  write(text: string): void;
  /** Appends a string value as JSON (quoted and escaped). */
  writeString(value: string): void;
  /** Runs `body` with its output captured as a string (for sorting Map entries and Set items). */
  capture(body: () => void): string;
  /** Appends text that `capture` already counted. */
  writeCaptured(text: string): void;
}

/**
 * The JSON escape of `value` (without quotes), slice by slice: JSON escapes code unit by code
 * unit except a surrogate pair, which a slice boundary never splits, so the pieces join to
 * exactly `JSON.stringify(value).slice(1, -1)`.
 */
export function* escapedSlices(value: string): Generator<string> {
  for (let start = 0; start < value.length; ) {
    let end = Math.min(value.length, start + STRING_SLICE);
    const last = value.charCodeAt(end - 1);
    if (end < value.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield JSON.stringify(value.slice(start, end)).slice(1, -1);
    start = end;
  }
}

export function refuseLength(): never {
  throw new DejaInputError(
    `Cannot build a cache key longer than ${MAX_KEY_LENGTH} characters of canonical text`,
  );
}

export abstract class BudgetedOutput implements CanonicalOutput {
  /** Characters of canonical text counted so far. */
  protected length = 0;
  private captures: string[][] = [];

  write(text: string): void {
    this.count(text.length);
    this.route(text);
  }

  writeString(value: string): void {
    if (value.length < STRING_SLICE) {
      this.write(JSON.stringify(value));
      return;
    }
    this.write('"');
    for (const slice of escapedSlices(value)) this.write(slice);
    this.write('"');
  }

  protected count(characters: number): void {
    this.length += characters;
    if (this.length > MAX_KEY_LENGTH) refuseLength();
  }

  /** True inside `capture` (Map entries, Set items): the text must be built at once. */
  protected get capturing(): boolean {
    return this.captures.length > 0;
  }

  capture(body: () => void): string {
    const parts: string[] = [];
    this.captures.push(parts);
    try {
      body();
    } finally {
      this.captures.pop();
    }
    return parts.join('');
  }

  writeCaptured(text: string): void {
    this.route(text);
  }

  private route(text: string): void {
    const capturing = this.captures.at(-1);
    if (capturing) capturing.push(text);
    else this.emit(text);
  }

  protected abstract emit(text: string): void;
}

export class TextOutput extends BudgetedOutput {
  private parts: string[] = [];

  protected emit(text: string): void {
    this.parts.push(text);
  }

  text(): string {
    return this.parts.join('');
  }
}

/**
 * Feeds sha256 as the text is written. Every piece written is whole canonical tokens (JSON
 * strings keep surrogate pairs together and escape lone surrogates), so hashing piece by piece
 * gives the same digest as hashing the joined text.
 */
export class HashOutput extends BudgetedOutput {
  private readonly hash: Hash = createHash('sha256');
  private pending = '';

  protected emit(text: string): void {
    if (text.length >= HASH_CHUNK) {
      this.flush();
      this.hash.update(text, 'utf8');
      return;
    }
    this.pending += text;
    if (this.pending.length >= HASH_CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.hash.update(this.pending, 'utf8');
    this.pending = '';
  }

  hex(): string {
    this.flush();
    return this.hash.digest('hex');
  }
}
