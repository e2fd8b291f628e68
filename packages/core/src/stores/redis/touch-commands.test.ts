import { describe, expect, it } from 'vitest';
import { keyLayout } from './keys.js';
import { touchCommands } from './touch-commands.js';

const keys = keyLayout('cache:', (text) => `k(${text})`);
const entry = {
  id: 'e1',
  tenant: 'ab',
  user: 'cd',
  scope: 'ef',
  text: '',
  response: '',
  meta: '{}',
  createdAt: 1,
};

describe('touchCommands', () => {
  it('extends (GT: never shortens) the entry and every set that must outlive it', () => {
    expect(touchCommands(keys, { ...entry, tags: ['t1'] }, 60_000.4, 0)).toEqual([
      ['PEXPIRE', 'cache:{ab}:e1', '60000', 'GT'],
      ['PEXPIRE', '~cache:{ab}:user:k(user:cd)', '60000', 'GT'],
      ['PEXPIRE', '~cache:{ab}:user-keys:k(user:cd)', '60000', 'GT'],
      ['PEXPIRE', '~cache:{ab}:tag:k(tag:t1)', '60000', 'GT'],
    ]);
  });

  it('adds the packed vectors of an entry with a model (the client-side KNN reads them)', () => {
    const commands = touchCommands(keys, { ...entry, model: 'f0' }, 1_000, 4);
    expect(commands.at(-1)).toEqual([
      'PEXPIRE',
      '~cache:{ab}:scope:k(scope:ef:cd:f0):vectors:4',
      '1000',
      'GT',
    ]);
  });

  it('on Redis 8 extends the vector set of the entry instead (with or without a model)', () => {
    for (const model of ['f0', undefined]) {
      const commands = touchCommands(keys, { ...entry, model }, 1_000, 4, true);
      expect(commands.at(-1)).toEqual([
        'PEXPIRE',
        `~cache:{ab}:scope:k(scope:ef:cd:${model ?? ''}):vset:4`,
        '1000',
        'GT',
      ]);
      expect(commands.flat().some((part) => part.includes(':vectors:'))).toBe(false);
    }
  });
});
