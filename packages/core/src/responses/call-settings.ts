// A call's options over the deja's defaults. Defaults were checked by createDeja; only per-call
// values are checked here, each with a typed error that names what is wrong.
import { DejaInputError } from '../errors.js';
import { type Id, userDigest } from '../ids.js';
import {
  type CacheMode,
  cacheModeSchema,
  parseTtlMs,
  type ResolvedDejaOptions,
  similaritySchema,
} from '../options.js';

export interface ResponseOptions {
  /** 'semantic' (default), 'exact' or 'off'. */
  mode?: CacheMode;
  /** Time to live, ms (default: the deja's `ttlMs`). */
  ttlMs?: number;
  /** Cosine similarity in [0, 1] a semantic match needs at least (default: the deja's). */
  minSimilarity?: number;
  /** Skip lookup, recompute, overwrite. */
  refresh?: boolean;
  /** Entries of a user are only seen by lookups for that user. */
  user?: Id;
  signal?: AbortSignal;
  /** A hit extends the entry's TTL to `ttlMs` from now, never shortening it (default: the deja's). */
  slidingTtl?: boolean;
}

export interface CallSettings {
  mode: CacheMode;
  minSimilarity: number;
  ttlMs: number;
  /** The user's digest, or NO_USER. */
  user: string;
  userId: Id | undefined;
  signal: AbortSignal | undefined;
  slidingTtl: boolean;
}

export function callSettings(defaults: ResolvedDejaOptions, options: ResponseOptions): CallSettings {
  return {
    mode: options.mode === undefined ? defaults.mode : parseMode(options.mode),
    minSimilarity:
      options.minSimilarity === undefined ? defaults.minSimilarity : parseSimilarity(options.minSimilarity),
    ttlMs: options.ttlMs === undefined ? defaults.ttlMs : parseTtlMs(options.ttlMs),
    user: userDigest(options.user),
    userId: options.user,
    signal: options.signal,
    slidingTtl: options.slidingTtl === undefined ? defaults.slidingTtl : parseFlag(options.slidingTtl),
  };
}

function parseFlag(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new DejaInputError('slidingTtl must be true or false');
  return value;
}

function parseMode(value: CacheMode): CacheMode {
  const parsed = cacheModeSchema.safeParse(value);
  if (!parsed.success)
    throw new DejaInputError(`mode ${JSON.stringify(value)} is not one of 'exact', 'semantic', 'off'`);
  return parsed.data;
}

function parseSimilarity(value: number): number {
  const parsed = similaritySchema.safeParse(value);
  if (!parsed.success)
    throw new DejaInputError(`minSimilarity ${value} is outside [0, 1]: it is a cosine similarity`);
  return parsed.data;
}
