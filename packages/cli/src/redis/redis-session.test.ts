import { DejaConfigError } from '@deja/core';
import { describe, expect, it } from 'vitest';
import { DejaCliError } from '../errors.js';
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
    expect(() => redisConfig('stats', 'http://nope', {})).toThrow(DejaConfigError);
  });
});

describe('maskPassword', () => {
  it('hides the password of a Redis URL and keeps the rest', () => {
    expect(maskPassword('redis://user:secret@host:6379/2')).toBe('redis://user:***@host:6379/2');
    expect(maskPassword('rediss://:secret@host:6380')).toBe('rediss://:***@host:6380');
    expect(maskPassword('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
