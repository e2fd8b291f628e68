// Flags through node:util parseArgs, with the mistakes a person makes turned into one clear line.
// Values are parsed by the pieces of deja's option schema (@deja/core/adapter): one set of limits
// and messages for createDeja, the environment and the command line.
import { parseArgs } from 'node:util';
import {
  DAY_MS,
  fractionSchema,
  fromString,
  MAX_TTL_MS,
  ttlMsSchema,
  wholeNumberSchema,
} from '@deja/core/adapter';
import { DejaUsageError } from './errors.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** One line for --help. */
  description: string;
  /** Placeholder shown in --help, e.g. FILE. */
  value?: string;
  required?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValues<Specs extends FlagSpecs> = {
  [Name in keyof Specs]: Specs[Name]['type'] extends 'boolean' ? boolean : string | undefined;
};

export interface ParsedFlags<Specs extends FlagSpecs> {
  help: boolean;
  values: FlagValues<Specs>;
}

/** Parses `argv` for `command`; unknown flags, missing values and stray words are usage errors. */
export function parseFlags<Specs extends FlagSpecs>(
  command: string,
  specs: Specs,
  argv: string[],
): ParsedFlags<Specs> {
  const options = Object.fromEntries([
    ['help', { type: 'boolean', short: 'h' }],
    ...Object.entries(specs).map(([name, spec]) => [name, { type: spec.type }]),
  ]);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false, allowNegative: false });
  } catch (error) {
    throw new DejaUsageError(`${command}: ${describeParseError(error, specs)} (see deja ${command} --help)`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  if (!help) {
    for (const [name, spec] of Object.entries(specs)) {
      const value = values[name];
      if (spec.required && (value === undefined || value === '')) {
        throw new DejaUsageError(
          `${command}: --${name} ${spec.value ?? ''} is required (see deja ${command} --help)`.replace(
            '  ',
            ' ',
          ),
        );
      }
      if (spec.type === 'string' && value === '') throw new DejaUsageError(`${command}: --${name} is empty`);
    }
  }
  const typed = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      spec.type === 'boolean' ? values[name] === true : values[name],
    ]),
  );
  return { help, values: typed as FlagValues<Specs> };
}

function describeParseError(error: unknown, specs: FlagSpecs): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const flag = quoted ?? '?';
      const known = Object.keys(specs).map((name) => `--${name}`);
      const near = closest(flag.replace(/=.*/, ''), known);
      return `unknown option ${flag}${near ? ` (did you mean ${near}?)` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // "Option '--table <value>' argument missing" or "Option '--yes' does not take an argument".
      const flag = quoted?.split(' ')[0] ?? 'an option';
      return /missing/.test(message) ? `${flag} needs a value` : `${flag} takes no value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted ?? ''}: every input is a --flag`.replace('  ', ' ');
    default:
      return message;
  }
}

/** The known flag within two edits of a mistyped one (--tabel -> --table). */
export function closest(typed: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

export interface NumberRange {
  min: number;
  max: number;
}

/** What a flag is parsed by: a piece of deja's option schema made to read strings (`fromString`). */
interface FlagSchema<T> {
  safeParse(
    raw: string,
  ): { success: true; data: T } | { success: false; error: { issues: readonly { message: string }[] } };
}

/** `raw` through a schema piece, or `fallback` when absent; the piece's own message on a bad value. */
export function schemaFlag<T>(
  command: string,
  raw: string | undefined,
  fallback: T,
  schema: FlagSchema<T>,
): T {
  if (raw === undefined) return fallback;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues.map((issue) => issue.message).join('; ');
  throw new DejaUsageError(`${command}: ${message}, got ${JSON.stringify(raw)}`);
}

/** A whole number flag within `range` (deja's whole-number piece), or `fallback` when absent. */
export function integerFlag(
  command: string,
  name: string,
  raw: string | undefined,
  fallback: number,
  range: NumberRange,
): number {
  return schemaFlag(command, raw, fallback, fromString(wholeNumberSchema(`--${name}`, range.min, range.max)));
}

/** A number in [0, 1] (a similarity or a precision), or `fallback` when absent. */
export function fractionFlag(
  command: string,
  name: string,
  raw: string | undefined,
  fallback: number,
): number {
  return schemaFlag(command, raw, fallback, fromString(fractionSchema(`--${name}`)));
}

/** Milliseconds per unit of a duration flag. */
const DURATION_UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS } as const;

/**
 * A time to live written with its unit (`500ms`, `90s`, `15m`, `12h`, `30d`) as milliseconds, or
 * `fallbackMs` when absent, within the limits of deja's `ttlMs`. A bare number is refused: it
 * could be read as seconds or as milliseconds.
 */
export function ttlFlag(command: string, name: string, raw: string | undefined, fallbackMs: number): number {
  if (raw === undefined) return fallbackMs;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(raw.trim());
  const ms = match ? Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS] : Number.NaN;
  if (!ttlMsSchema.safeParse(ms).success) {
    throw new DejaUsageError(
      `${command}: --${name} must be a whole number with a unit (ms, s, m, h or d; e.g. 30d) ` +
        `from 1ms to ${MAX_TTL_MS / DAY_MS}d, got ${JSON.stringify(raw)}`,
    );
  }
  return ms;
}
