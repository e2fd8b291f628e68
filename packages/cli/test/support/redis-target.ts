// A Redis for one CLI test file: the harness server, under a prefix and index of its own, so
// files running in parallel never see each other's keys. cleanup() removes all of them.
import { dropTestData } from '../../../../test/support/redis-cleanup.ts';

let counter = 0;

export interface RedisTarget {
  url: string;
  prefix: string;
  indexName: string;
  /** DEJA_REDIS_URL, DEJA_KEY_PREFIX and DEJA_INDEX_NAME for the child process. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export function redisTarget(url: string, options: { queryEngine: boolean }): RedisTarget {
  const tag = `cli${process.pid}x${++counter}x${Date.now().toString(36)}`;
  const prefix = `test:${tag}:`;
  const indexName = `idx-${tag}`;
  return {
    url,
    prefix,
    indexName,
    env: { DEJA_REDIS_URL: url, DEJA_KEY_PREFIX: prefix, DEJA_INDEX_NAME: indexName },
    cleanup: () =>
      dropTestData(url, [`${prefix}*`, `~${prefix}*`], options.queryEngine ? indexName : undefined),
  };
}

/** Parses the warm summary printed on stdout. */
export function warmSummary(stdout: string) {
  const number = (label: string) => {
    const match = new RegExp(`^${label}\\s+([\\d,]+)`, 'm').exec(stdout);
    if (!match) throw new Error(`no "${label}" line in:\n${stdout}`);
    return Number((match[1] as string).replaceAll(',', ''));
  };
  return {
    processed: number('processed'),
    cached: number('newly cached'),
    skipped: number('skipped'),
    failed: number('failed'),
    coverage: /^coverage\s+(.*)$/m.exec(stdout)?.[1] ?? '',
  };
}
