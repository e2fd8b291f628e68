// vitest globalSetup: one Redis Stack and one plain Redis for the whole run, stopped after.
// DEJA_TEST_REDIS_STACK_URL / DEJA_TEST_REDIS_URL select the user's own servers instead.
import type { TestProject } from 'vitest/node';
import { type RedisKind, type RunningRedis, startRedisServer } from './redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisStackUrl: string;
    redisPlainUrl: string;
    redisStackError: string;
    redisPlainError: string;
  }
}

export default async function setup(project: TestProject) {
  const started: RunningRedis[] = [];
  const provideServer = async (
    kind: RedisKind,
    envVar: 'DEJA_TEST_REDIS_STACK_URL' | 'DEJA_TEST_REDIS_URL',
  ) => {
    const urlKey = kind === 'stack' ? 'redisStackUrl' : 'redisPlainUrl';
    const errorKey = kind === 'stack' ? 'redisStackError' : 'redisPlainError';
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
  await Promise.all([
    provideServer('stack', 'DEJA_TEST_REDIS_STACK_URL'),
    provideServer('plain', 'DEJA_TEST_REDIS_URL'),
  ]);
  return async () => {
    await Promise.all(started.map((server) => server.stop()));
  };
}
