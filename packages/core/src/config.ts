// Options from environment variables: DEJA_* names, plus the seed's CACHE_* names.
// A bad value fails at start with the variable's name and what is allowed.
import { DejaConfigError } from './errors.js';
import type { DejaOptions } from './options.js';

type Env = Record<string, string | undefined>;

/** [option, DEJA_ name, seed name, parser]; the seed's CACHE_DEFAULT_TTL is seconds (see SEED_SECONDS). */
const VARIABLES = [
  ['redis.url', 'DEJA_REDIS_URL', 'CACHE_REDIS_URL', url],
  ['redis.indexName', 'DEJA_INDEX_NAME', 'CACHE_INDEX_NAME', text],
  ['redis.prefix', 'DEJA_KEY_PREFIX', 'CACHE_KEY_PREFIX', text],
  ['redis.algorithm', 'DEJA_VECTOR_ALGORITHM', undefined, oneOf('FLAT', 'HNSW')],
  ['dimensions', 'DEJA_EMBEDDING_DIMENSIONS', 'CACHE_EMBEDDING_DIMENSIONS', integer(1, 65_536)],
  ['ttlMs', 'DEJA_TTL_MS', 'CACHE_DEFAULT_TTL', integer(1, 10 * 365 * 86_400_000)],
  ['embeddingTtlMs', 'DEJA_EMBEDDING_TTL_MS', undefined, integer(1, 10 * 365 * 86_400_000)],
  ['cacheEmbeddings', 'DEJA_CACHE_EMBEDDINGS', 'CACHE_ENABLE_EMBEDDINGS', boolean],
  ['maxTextTokens', 'DEJA_MAX_TEXT_TOKENS', 'CACHE_MAX_TEXT_LENGTH', integer(1, 10_000_000)],
  ['maxResponseBytes', 'DEJA_MAX_RESPONSE_BYTES', undefined, integer(1, 512 * 1024 * 1024)],
  ['embeddingReadBatchSize', 'DEJA_EMBEDDING_READ_BATCH_SIZE', 'CACHE_BATCH_SIZE', integer(1, 10_000)],
  ['minSimilarity', 'DEJA_MIN_SIMILARITY', undefined, fraction],
  ['mode', 'DEJA_MODE', undefined, oneOf('exact', 'semantic', 'off')],
  ['timeoutMs', 'DEJA_TIMEOUT_MS', undefined, integer(1, 600_000)],
  ['strict', 'DEJA_STRICT', undefined, boolean],
] as const;

/** Seed variables whose value is seconds, converted to the option's milliseconds. */
const SEED_SECONDS = new Set<string>(['CACHE_DEFAULT_TTL']);

/** Variables renamed when durations became milliseconds: set, they fail rather than be ignored. */
const RENAMED = {
  DEJA_TTL: 'DEJA_TTL_MS',
  DEJA_EMBEDDING_TTL: 'DEJA_EMBEDDING_TTL_MS',
  DEJA_BATCH_SIZE: 'DEJA_EMBEDDING_READ_BATCH_SIZE',
} as const;

export function loadConfig(env: Env = process.env): DejaOptions {
  for (const [old, replacement] of Object.entries(RENAMED)) {
    if (env[old] !== undefined && env[old] !== '')
      throw new DejaConfigError(
        `${old} was renamed ${replacement} (milliseconds where it is a duration); set that instead`,
      );
  }
  const options: Record<string, unknown> = {};
  for (const [path, name, seedName, parse] of VARIABLES) {
    const variable = env[name] !== undefined && env[name] !== '' ? name : seedName;
    const raw = variable === undefined ? undefined : env[variable];
    if (raw === undefined || raw === '') continue;
    let value: unknown;
    try {
      value = parse(raw.trim());
      if (variable !== undefined && SEED_SECONDS.has(variable)) value = (value as number) * 1000;
    } catch (error) {
      throw new DejaConfigError(`${variable}=${JSON.stringify(raw)} is invalid: ${(error as Error).message}`);
    }
    setPath(options, path, value);
  }
  const redis = options.redis as Record<string, unknown> | undefined;
  if (redis && redis.url === undefined) {
    throw new DejaConfigError(
      `${Object.keys(redis).join(', ')} set without DEJA_REDIS_URL (or CACHE_REDIS_URL)`,
    );
  }
  return options as DejaOptions;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) target[head] = value;
  else target[head] = { ...(target[head] as object | undefined), [tail]: value };
}

function url(raw: string): string {
  if (!/^rediss?:\/\//.test(raw)) throw new Error('expected a redis:// or rediss:// URL');
  return raw;
}

function text(raw: string): string {
  return raw;
}

function integer(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max)
      throw new Error(`expected a whole number from ${min} to ${max}`);
    return value;
  };
}

function fraction(raw: string): number {
  const value = Number(raw);
  if (raw === '' || Number.isNaN(value) || value < 0 || value > 1)
    throw new Error('expected a number from 0 to 1');
  return value;
}

function boolean(raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error('expected true or false');
}

function oneOf<const T extends string>(...allowed: T[]) {
  return (raw: string): T => {
    if (!(allowed as string[]).includes(raw)) throw new Error(`expected one of ${allowed.join(', ')}`);
    return raw as T;
  };
}
