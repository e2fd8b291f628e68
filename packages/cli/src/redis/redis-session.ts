// The commands that work on a shared cache (warm, search, stats, clear) need Redis: the memory
// store would forget everything when the command exits. The CLI opens its own connection so an
// unreachable server is one clear line within a second, not a retry loop; deja runs `strict`
// so store trouble stops the command instead of being skipped silently as it is in an app.
import { createDeja, type Deja, type DejaOptions, type Embedder, loadConfig, redisStore } from '@deja/core';
import { createClient } from 'redis';
import { DejaCliError, DejaUsageError } from '../errors.js';

export interface RedisConfig {
  url: string;
  /** The URL with any password masked, for output. */
  label: string;
  options: DejaOptions;
}

/** DEJA_* variables (loadConfig) plus --redis; a clear error when neither names a Redis. */
export function redisConfig(
  command: string,
  redisFlag: string | undefined,
  env: Record<string, string | undefined>,
): RedisConfig {
  // A bad --redis is the flag's fault: say so, before loadConfig would name DEJA_REDIS_URL.
  if (redisFlag !== undefined && !/^rediss?:\/\/./.test(redisFlag.trim())) {
    throw new DejaUsageError(
      `${command}: --redis ${JSON.stringify(redisFlag)} is not a redis:// or rediss:// URL ` +
        `(for example --redis redis://${redisFlag.replace(/^\w+:\/\//, '') || 'localhost:6379'})`,
    );
  }
  const options = loadConfig(redisFlag === undefined ? env : { ...env, DEJA_REDIS_URL: redisFlag });
  const url = options.redis?.url;
  if (!url) {
    throw new DejaCliError(
      `deja ${command} needs Redis: set DEJA_REDIS_URL or pass --redis redis://host:6379 ` +
        '(the in-process memory store would forget everything when the command exits)',
    );
  }
  return { url, label: maskPassword(url), options };
}

export interface RedisSession {
  deja: Deja;
  label: string;
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  embedder?: Embedder;
  /** Deadline of one store operation, unless DEJA_TIMEOUT_MS says otherwise. */
  timeoutMs?: number;
  /** Deadline of whole-tenant operations (clear), ms. */
  longOperationMs?: number;
  /** Options that win over the environment (the demo's threshold and prices). */
  overrides?: Omit<DejaOptions, 'store' | 'redis'>;
}

const CONNECT_TIMEOUT_MS = 3_000;
const CONNECT_RETRIES = 3;

export async function openRedisSession(
  config: RedisConfig,
  options: OpenSessionOptions = {},
): Promise<RedisSession> {
  const client = createClient({
    url: config.url,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // A few quick retries, then the cause: at start that is the "cannot reach" error below;
      // mid-run it fails the command (which can be run again: nothing is lost).
      reconnectStrategy: (retries: number, cause: Error) =>
        retries >= CONNECT_RETRIES ? cause : 100 * 2 ** retries,
    },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    throw new DejaCliError(
      `cannot reach Redis at ${config.label}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const { redis, ...rest } = config.options;
  const deja = createDeja({
    ...rest,
    store: redisStore({
      client,
      prefix: redis?.prefix,
      indexName: redis?.indexName,
      algorithm: redis?.algorithm,
    }),
    embedder: options.embedder,
    // The CLI embeds through the raw embedder: a warmed row keeps its vector in its own entry,
    // and a second copy in the embedding cache would double the memory.
    cacheEmbeddings: false,
    strict: true,
    timeoutMs: rest.timeoutMs ?? options.timeoutMs ?? 15_000,
    initTimeoutMs: options.longOperationMs ?? 30_000,
    statsFlushMs: 0,
    ...options.overrides,
  });
  const close = async () => {
    await deja.close().catch(() => undefined);
    client.destroy();
  };
  try {
    await deja.ready();
  } catch (error) {
    await close();
    throw error;
  }
  return { deja, label: config.label, close };
}

export function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
  }
}
