// The zod pieces deja's options are made of, each with its one set of limits and its one message.
// createDeja's schema (options.ts), the environment (config.ts), the adapters' option schemas and
// the CLI's flags all parse through these, so a limit or a message is written once.
import { z } from 'zod';

/** One day, ms. */
export const DAY_MS = 86_400_000;
/** The longest TTL deja takes: ten years, ms. */
export const MAX_TTL_MS = 3_650 * DAY_MS;
/** The largest vector dimension deja takes. */
export const MAX_DIMENSIONS = 65_536;

/** A whole number in [min, max]; every failure reads "<name> must be a whole number from min to max". */
export function wholeNumberSchema(name: string, min: number, max: number) {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z.number({ message }).int(message).min(min, message).max(max, message);
}

/** A duration in milliseconds (whole), in [min, max]; the message says the unit. */
export function durationMsSchema(name: string, min: number, max: number) {
  const message = `${name} must be a whole number of milliseconds from ${min} to ${max}`;
  return z.number({ message }).int(message).min(min, message).max(max, message);
}

/** A number in [0, 1] (a similarity, a precision). */
export function fractionSchema(name: string) {
  const message = `${name} must be a number from 0 to 1`;
  return z.number({ message }).min(0, message).max(1, message);
}

export const cacheModeSchema = z.enum(['exact', 'semantic', 'off'], {
  message: "mode must be 'exact', 'semantic' or 'off'",
});

/** A cosine similarity threshold in [0, 1]. */
export const similaritySchema = z
  .number({ message: 'minSimilarity is a cosine similarity in [0, 1]' })
  .min(0, 'minSimilarity is a cosine similarity in [0, 1]')
  .max(1, 'minSimilarity is a cosine similarity in [0, 1]');

/** A time to live, ms: 1 ms to ten years. */
export const ttlMsSchema = durationMsSchema('ttlMs', 1, MAX_TTL_MS);

/** A vector dimension. */
export const dimensionsSchema = wholeNumberSchema('dimensions', 1, MAX_DIMENSIONS);

/** Longest model id deja takes (it is part of every key of the model's vectors). */
export const MAX_MODEL_ID_LENGTH = 1_024;

/** A model id: any well-formed text (deja escapes it where it goes into a key). */
export const modelIdSchema = z
  .string({ message: 'modelId must be a string' })
  .min(1, 'modelId must not be empty')
  .max(MAX_MODEL_ID_LENGTH, `modelId is at most ${MAX_MODEL_ID_LENGTH} characters`)
  .refine((value) => value.isWellFormed(), 'modelId must be well-formed Unicode (no lone surrogates)');

/** Every problem of a failed parse on one line: `path: message; path: message`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ');
}

/**
 * The same piece, reading a string (an environment variable, a command-line flag): numbers are
 * coerced from plain decimals (blank, hex and exponents are not numbers), booleans are true/false, 1/0, yes/no or on/off, anything else
 * is trimmed and passed through. The piece's own limits and messages apply unchanged.
 */
export function fromString<Schema extends z.ZodType>(schema: Schema): z.ZodType<z.output<Schema>, string> {
  const kind = innermost(schema)._zod.def.type;
  if (kind === 'number') {
    return z.preprocess(decimal, schema) as unknown as z.ZodType<z.output<Schema>, string>;
  }
  if (kind === 'union') {
    // `false | number` (maxErrorRate): "false" turns it off, anything else is read as a number.
    const falseOrNumber = (raw: string) => (raw.trim() === 'false' ? false : decimal(raw));
    return z.preprocess(falseOrNumber, schema) as unknown as z.ZodType<z.output<Schema>, string>;
  }
  if (kind === 'boolean') {
    return z
      .string()
      .trim()
      .pipe(z.stringbool({ message: 'expected true or false (or 1/0, yes/no, on/off)' }))
      .pipe(schema as z.ZodType<unknown, boolean>) as unknown as z.ZodType<z.output<Schema>, string>;
  }
  return z
    .string()
    .trim()
    .pipe(schema as z.ZodType<unknown, string>) as unknown as z.ZodType<z.output<Schema>, string>;
}

/** A plain decimal ("12", "-0.5", "1e3" is not one) as a number; anything else NaN (then refused). */
export function decimal(raw: string): number {
  const trimmed = raw.trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The schema under any optional / default / nullable wrappers. */
function innermost(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: z.ZodType };
    if (def.innerType === undefined || !['optional', 'default', 'nullable', 'prefault'].includes(def.type))
      return current;
    current = def.innerType;
  }
}
