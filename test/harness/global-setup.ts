// vitest globalSetup: one Redis Stack, one plain Redis 7 and one Redis 8 (vector sets, no Query
// Engine) for the whole run, stopped after. DEJA_TEST_REDIS_STACK_URL / DEJA_TEST_REDIS_URL /
// DEJA_TEST_REDIS8_URL select the user's own servers instead.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  REPO_ROOT,
  type RedisKind,
  type RunningRedis,
  SERVER_REGISTRY_ENV,
  startRedisServer,
} from './redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisStackUrl: string;
    redisPlainUrl: string;
    redis8Url: string;
    redisStackError: string;
    redisPlainError: string;
    redis8Error: string;
  }
}

/** Each kind's override variable and the names tests inject its URL (or why there is none) by. */
const PROVIDED = {
  stack: { envVar: 'DEJA_TEST_REDIS_STACK_URL', urlKey: 'redisStackUrl', errorKey: 'redisStackError' },
  plain: { envVar: 'DEJA_TEST_REDIS_URL', urlKey: 'redisPlainUrl', errorKey: 'redisPlainError' },
  redis8: { envVar: 'DEJA_TEST_REDIS8_URL', urlKey: 'redis8Url', errorKey: 'redis8Error' },
} as const;

export default async function setup(project: TestProject) {
  // Workers inherit this: each server any test starts is listed here until it exits.
  const registry = join(REPO_ROOT, '.deja', 'test-servers', `run-${process.pid}-${Date.now()}`);
  mkdirSync(registry, { recursive: true });
  process.env[SERVER_REGISTRY_ENV] = registry;
  const started: RunningRedis[] = [];
  const provideServer = async (kind: RedisKind) => {
    const { envVar, urlKey, errorKey } = PROVIDED[kind];
    const fromEnv = process.env[envVar];
    if (fromEnv) {
      project.provide(urlKey, fromEnv);
      project.provide(errorKey, '');
      return;
    }
    try {
      const server = await startRedisServer({ kind });
      started.push(server);
      project.provide(urlKey, server.url);
      project.provide(errorKey, '');
    } catch (error) {
      // Tests that need this server fail with this message; the others still run.
      project.provide(urlKey, '');
      project.provide(errorKey, error instanceof Error ? error.message : String(error));
    }
  };
  await Promise.all([provideServer('stack'), provideServer('plain'), provideServer('redis8')]);
  return async () => {
    await Promise.all(started.map((server) => server.stop()));
    killLeftovers(registry);
  };
}

/** Kills every redis-server a test of this run started and nothing stopped (see redis-server.ts). */
function killLeftovers(registry: string): void {
  const left = readdirSync(registry).map(Number).filter(isRedisServer);
  for (const pid of left) {
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGKILL');
  }
  if (left.length > 0)
    console.warn(
      `test harness: killed ${left.length} redis-server(s) that tests left running: ${left.join(', ')}`,
    );
  rmSync(registry, { recursive: true, force: true });
}

/** True for a live redis-server process (a pid that was reused by anything else is left alone). */
function isRedisServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return false;
  }
}
