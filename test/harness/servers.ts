// What an integration test calls to get its server. Never skips: a missing server is a failure
// that says how to get one.
import { inject } from 'vitest';

const HOW_TO =
  'Run the suite with ./scripts/test.sh (installs and starts the servers), or set ' +
  'DEJA_TEST_REDIS_STACK_URL (Redis with the Query Engine), DEJA_TEST_REDIS_URL (plain Redis 7) and ' +
  'DEJA_TEST_REDIS8_URL (Redis 8 without the Query Engine: vector sets).';

export function redisStackUrl(): string {
  const url = inject('redisStackUrl');
  if (!url) throw new Error(`No Redis Stack server for this test: ${inject('redisStackError')}\n${HOW_TO}`);
  return url;
}

export function redisPlainUrl(): string {
  const url = inject('redisPlainUrl');
  if (!url) throw new Error(`No plain Redis server for this test: ${inject('redisPlainError')}\n${HOW_TO}`);
  return url;
}

export function redis8Url(): string {
  const url = inject('redis8Url');
  if (!url) throw new Error(`No Redis 8 server for this test: ${inject('redis8Error')}\n${HOW_TO}`);
  return url;
}
