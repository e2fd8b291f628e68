// Building blocks for the adapters' option schemas (AI SDK, LangChain, CLI), so every package
// checks a deja or an id the same way and reports a bad option the same way.
import { z } from 'zod';
import type { Deja } from '../deja.js';
import { DejaConfigError } from '../errors.js';
import type { Id } from '../ids.js';
import { formatIssues } from '../option-schemas.js';

const MAX_ID_LENGTH = 1_024;

/** Structural, so a second copy of @deja/core in node_modules still passes. */
export const dejaInstanceSchema = z.custom<Deja>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Deja).tenant === 'function' &&
    typeof (value as Deja).cachedEmbedder === 'function',
  'deja must be the object createDeja() returns',
);

/** Tenant and user ids as deja takes them (checked again when they are hashed). */
export const idSchema = z.custom<Id>((value) => {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_ID_LENGTH;
  return typeof value === 'object' && value !== null && String(value).length > 0;
}, `must be a non-empty string (at most ${MAX_ID_LENGTH} characters), a finite number or a UUID-like object`);

/** Parses options or throws a DejaConfigError naming every problem. */
export function parseAdapterOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new DejaConfigError(`Invalid ${what} options: ${formatIssues(parsed.error)}`);
  return parsed.data;
}
