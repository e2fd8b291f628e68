// Options from environment variables. Each variable names one path of createDeja's schema and is
// parsed by that path's own zod piece (coerced from the string), so the limits and messages are
// the schema's: one set, not two. DEJA_* names carry their unit (DEJA_TTL_MS); the seed's CACHE_*
// names keep their meaning (CACHE_DEFAULT_TTL is seconds, converted).
import { z } from 'zod';
import { DejaConfigError } from './errors.js';
import { decimal, fromString } from './option-schemas.js';
import { type DejaOptions, dejaOptionsSchema } from './options.js';

type Env = Record<string, string | undefined>;

export interface EnvironmentVariable {
  /** The createDeja option it sets, as a dotted path. */
  path: string;
  /** The deja name; it wins over `seed` when both are set. */
  name: string;
  /** The seed project's name, if it had one. */
  seed?: string;
  /** The seed's value is seconds where the option is milliseconds. */
  seedSeconds?: boolean;
}

/** Every variable loadConfig reads (README: "Configuration from the environment"). */
export const ENVIRONMENT_VARIABLES: readonly EnvironmentVariable[] = [
  { path: 'redis.url', name: 'DEJA_REDIS_URL', seed: 'CACHE_REDIS_URL' },
  { path: 'redis.indexName', name: 'DEJA_INDEX_NAME', seed: 'CACHE_INDEX_NAME' },
  { path: 'redis.prefix', name: 'DEJA_KEY_PREFIX', seed: 'CACHE_KEY_PREFIX' },
  { path: 'redis.algorithm', name: 'DEJA_VECTOR_ALGORITHM' },
  { path: 'dimensions', name: 'DEJA_EMBEDDING_DIMENSIONS', seed: 'CACHE_EMBEDDING_DIMENSIONS' },
  { path: 'ttlMs', name: 'DEJA_TTL_MS', seed: 'CACHE_DEFAULT_TTL', seedSeconds: true },
  { path: 'embeddingTtlMs', name: 'DEJA_EMBEDDING_TTL_MS' },
  { path: 'cacheEmbeddings', name: 'DEJA_CACHE_EMBEDDINGS', seed: 'CACHE_ENABLE_EMBEDDINGS' },
  { path: 'embeddingReadBatchSize', name: 'DEJA_EMBEDDING_READ_BATCH_SIZE', seed: 'CACHE_BATCH_SIZE' },
  { path: 'embeddingKeyPrefix', name: 'DEJA_EMBEDDING_KEY_PREFIX' },
  { path: 'maxTextTokens', name: 'DEJA_MAX_TEXT_TOKENS', seed: 'CACHE_MAX_TEXT_LENGTH' },
  { path: 'maxResponseBytes', name: 'DEJA_MAX_RESPONSE_BYTES' },
  { path: 'minSimilarity', name: 'DEJA_MIN_SIMILARITY' },
  { path: 'mode', name: 'DEJA_MODE' },
  { path: 'timeoutMs', name: 'DEJA_TIMEOUT_MS' },
  { path: 'initTimeoutMs', name: 'DEJA_INIT_TIMEOUT_MS' },
  { path: 'statsFlushMs', name: 'DEJA_STATS_FLUSH_MS' },
  { path: 'strict', name: 'DEJA_STRICT' },
  { path: 'slidingTtl', name: 'DEJA_SLIDING_TTL' },
  { path: 'storeTenantLabels', name: 'DEJA_STORE_TENANT_LABELS' },
  { path: 'localEmbeddings', name: 'DEJA_LOCAL_EMBEDDINGS' },
  { path: 'maxInFlight', name: 'DEJA_MAX_IN_FLIGHT' },
  { path: 'maxQueued', name: 'DEJA_MAX_QUEUED' },
  { path: 'writeBehind', name: 'DEJA_WRITE_BEHIND' },
  { path: 'maxPendingWrites', name: 'DEJA_MAX_PENDING_WRITES' },
  { path: 'maxErrorRate', name: 'DEJA_MAX_ERROR_RATE' },
  { path: 'confidence', name: 'DEJA_CONFIDENCE' },
  { path: 'explorationRate', name: 'DEJA_EXPLORATION_RATE' },
  { path: 'acceptSimilarity', name: 'DEJA_ACCEPT_SIMILARITY' },
  { path: 'semanticCandidates', name: 'DEJA_SEMANTIC_CANDIDATES' },
  { path: 'verifierTimeoutMs', name: 'DEJA_VERIFIER_TIMEOUT_MS' },
];

/** Names renamed when every duration became milliseconds: set, they fail rather than be ignored. */
const RENAMED: Record<string, string> = {
  DEJA_TTL: 'DEJA_TTL_MS',
  DEJA_EMBEDDING_TTL: 'DEJA_EMBEDDING_TTL_MS',
  DEJA_BATCH_SIZE: 'DEJA_EMBEDDING_READ_BATCH_SIZE',
};

/** createDeja options from the environment; a bad value throws a DejaConfigError naming the variable. */
export function loadConfig(env: Env = process.env): DejaOptions {
  for (const [old, replacement] of Object.entries(RENAMED)) {
    if (isSet(env[old]))
      throw new DejaConfigError(
        `${old} was renamed ${replacement} (durations are milliseconds); set that instead`,
      );
  }
  const options: Record<string, unknown> = {};
  for (const variable of ENVIRONMENT_VARIABLES) {
    const name = isSet(env[variable.name]) ? variable.name : variable.seed;
    const raw = name === undefined ? undefined : env[name];
    if (name === undefined || raw === undefined || !isSet(raw)) continue;
    const fromSeconds = name === variable.seed && variable.seedSeconds === true;
    setPath(options, variable.path, parseVariable(variable.path, name, raw, fromSeconds));
  }
  const redis = options.redis as Record<string, unknown> | undefined;
  if (redis && redis.url === undefined) {
    throw new DejaConfigError(
      `${Object.keys(redis).join(', ')} set without DEJA_REDIS_URL (or CACHE_REDIS_URL)`,
    );
  }
  return options as DejaOptions;
}

function parseVariable(path: string, name: string, raw: string, fromSeconds: boolean): unknown {
  const piece = schemaAt(path);
  const schema = fromSeconds ? secondsToMs(piece) : fromString(piece);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const unit = fromSeconds ? ' (seconds)' : '';
    throw new DejaConfigError(`${name}=${JSON.stringify(raw)}${unit} is invalid: ${messages(parsed.error)}`);
  }
  return parsed.data;
}

/** A seconds string, converted to the milliseconds the option's own piece then checks. */
function secondsToMs(piece: z.ZodType): z.ZodType<unknown, string> {
  const seconds = z.preprocess(
    decimal,
    z.number({ message: 'expected a whole number of seconds' }).int('expected a whole number of seconds'),
  );
  return seconds.transform((value) => value * 1000).pipe(piece as z.ZodType<unknown, number>);
}

/** The schema piece of a dotted path of createDeja's options (under optional/default wrappers). */
export function schemaAt(path: string): z.ZodType {
  let current: z.ZodType = dejaOptionsSchema;
  for (const segment of path.split('.')) {
    const shape = (unwrap(current) as z.ZodObject).shape as Record<string, z.ZodType> | undefined;
    const next = shape?.[segment];
    if (next === undefined) throw new Error(`deja: no option ${path}`);
    current = next;
  }
  return current;
}

function unwrap(schema: z.ZodType): z.ZodType {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType };
  return def.innerType !== undefined && (def.type === 'optional' || def.type === 'default')
    ? unwrap(def.innerType)
    : schema;
}

function messages(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) target[head] = value;
  else target[head] = { ...(target[head] as object | undefined), [tail]: value };
}
