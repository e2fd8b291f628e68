// node-redis is an optional peer of @deja/core: the memory store, the embedding cache and the
// adapters work without it. So it is loaded when deja creates its own Redis connection, never when
// @deja/core is imported; a user who never asks for Redis never needs the package installed.
import { DejaConfigError } from '../../errors.js';

export type NodeRedisModule = typeof import('redis');

const NOT_FOUND_CODES: ReadonlySet<unknown> = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/** Loads `redis`; a missing package is a DejaConfigError saying what to install. */
export async function loadNodeRedis(
  importRedis: () => Promise<NodeRedisModule> = () => import('redis'),
): Promise<NodeRedisModule> {
  try {
    return await importRedis();
  } catch (error) {
    // Only "not installed" is the user's to fix; anything else (a broken install) stays as it is.
    if (!NOT_FOUND_CODES.has((error as { code?: unknown } | null)?.code)) throw error;
    throw new DejaConfigError(
      "redisStore({ url }) needs the 'redis' package (node-redis 5 or 6), which is not installed: " +
        'run `npm install redis`, or pass a client you created ({ client }), or use the memory store',
      { cause: error },
    );
  }
}
