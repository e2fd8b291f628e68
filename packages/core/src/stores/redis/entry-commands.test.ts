import { describe, expect, it } from 'vitest';
import type { StoreEntry } from '../types.js';
import { putEntryCommands } from './entry-commands.js';
import { keyLayout } from './keys.js';

const keys = keyLayout('cache:');
const entry: StoreEntry = {
  id: 'e1',
  tenant: 'ab',
  user: '0',
  scope: 'cd',
  text: 'hello',
  response: '{"v":1,"data":"hi"}',
  meta: '{}',
  createdAt: 1_000,
};

describe('putEntryCommands', () => {
  it('replaces the hash and gives it and its user set a TTL', () => {
    expect(putEntryCommands(keys, entry, 60_000, true)).toEqual([
      ['DEL', 'cache:{ab}:e1'],
      [
        'HSET',
        'cache:{ab}:e1',
        'text',
        'hello',
        'tenant',
        'ab',
        'user',
        '0',
        'scope',
        'cd',
        'created_at',
        '1000',
        'response',
        '{"v":1,"data":"hi"}',
        'meta',
        '{}',
      ],
      ['PEXPIRE', 'cache:{ab}:e1', '60000'],
      ['SADD', '~cache:{ab}:user:0', 'e1'],
      ['PEXPIRE', '~cache:{ab}:user:0', '60000', 'NX'],
      ['PEXPIRE', '~cache:{ab}:user:0', '60000', 'GT'],
    ]);
  });

  it('adds the vector and, for the client-side KNN, the scope set', () => {
    const commands = putEntryCommands(
      keys,
      { ...entry, embedding: Float32Array.from([1, 0]) },
      1_500.4,
      true,
    );
    expect(commands[1]?.slice(-2)).toEqual(['embedding', Buffer.from(Float32Array.from([1, 0]).buffer)]);
    expect(commands.filter((command) => command[0] === 'SADD').map((command) => command[1])).toEqual([
      '~cache:{ab}:scope:cd:0',
      '~cache:{ab}:user:0',
    ]);
    expect(commands[2]).toEqual(['PEXPIRE', 'cache:{ab}:e1', '1500']);
  });

  it('leaves the scope set out when an index answers KNN', () => {
    const commands = putEntryCommands(keys, { ...entry, embedding: Float32Array.from([1, 0]) }, 1_000, false);
    expect(commands.filter((command) => command[0] === 'SADD')).toHaveLength(1);
  });
});
