import { DejaConfigError } from '@deja/core';
import { describe, expect, it } from 'vitest';
import { DejaCliError, DejaUsageError } from '../errors.js';
import { maskPassword, redisConfig } from './redis-session.js';

describe('redisConfig', () => {
  it('takes --redis over DEJA_REDIS_URL, and the other DEJA_* variables with it', () => {
    const config = redisConfig('warm', 'redis://flag:6379', {
      DEJA_REDIS_URL: 'redis://env:6379',
      DEJA_KEY_PREFIX: 'app:',
    });
    expect(config.url).toBe('redis://flag:6379');
    expect(config.options.redis).toEqual({ url: 'redis://flag:6379', prefix: 'app:' });
    expect(redisConfig('warm', undefined, { CACHE_REDIS_URL: 'redis://seed:6379' }).url).toBe(
      'redis://seed:6379',
    );
  });

  it('says that the command needs Redis, and how to give it', () => {
    expect(() => redisConfig('stats', undefined, {})).toThrow(DejaCliError);
    expect(() => redisConfig('stats', undefined, {})).toThrow(
      /^deja stats needs Redis: set DEJA_REDIS_URL or pass --redis/,
    );
  });

  it('blames a bad --redis on the flag, not on DEJA_REDIS_URL (exit 2, with the fix)', () => {
    for (const flag of ['localhost:6395', 'http://nope']) {
      expect(() => redisConfig('stats', flag, {})).toThrow(DejaUsageError);
      expect(() => redisConfig('stats', flag, { DEJA_REDIS_URL: 'redis://env:6379' })).toThrow(
        `stats: --redis "${flag}" is not a redis:// or rediss:// URL`,
      );
    }
    expect(() => redisConfig('stats', 'localhost:6395', {})).toThrow(
      '(for example --redis redis://localhost:6395)',
    );
    // The variable is still named when it is the variable that is wrong.
    expect(() => redisConfig('stats', undefined, { DEJA_REDIS_URL: 'localhost:6395' })).toThrow(
      DejaConfigError,
    );
    expect(() => redisConfig('stats', undefined, { DEJA_REDIS_URL: 'localhost:6395' })).toThrow(
      /DEJA_REDIS_URL/,
    );
  });
});

describe('maskPassword', () => {
  it('hides the password of a Redis URL and keeps the rest', () => {
    expect(maskPassword('redis://user:secret@host:6379/2')).toBe('redis://user:***@host:6379/2');
    expect(maskPassword('rediss://:secret@host:6380')).toBe('rediss://:***@host:6380');
    expect(maskPassword('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
