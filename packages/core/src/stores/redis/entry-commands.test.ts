import { describe, expect, it } from 'vitest';
import type { StoreEntry } from '../types.js';
import { fencedWriteArgs, putEntryCommands } from './entry-commands.js';
import { keyLayout } from './keys.js';
import { knnBucket } from './knn-query.js';

const keys = keyLayout('cache:', (text) => `k(${text})`);
const NS = 'ee';
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
  it('replaces the hash, marked with the namespace, and gives it and its user set a TTL', () => {
    expect(putEntryCommands(keys, entry, 60_000, 'packed', NS)).toEqual([
      ['DEL', 'cache:{ab}:e1'],
      [
        'HSET',
        'cache:{ab}:e1',
        'text',
        'hello',
        'ns',
        'ee',
        'tenant',
        'ab',
        'user',
        '0',
        'scope',
        'cd',
        'model',
        '0',
        'bucket',
        knnBucket(NS, entry),
        'created_at',
        '1000',
        'response',
        '{"v":1,"data":"hi"}',
        'meta',
        '{}',
      ],
      ['PEXPIRE', 'cache:{ab}:e1', '60000'],
      ['SADD', '~cache:{ab}:user:k(user:0)', 'e1'],
      ['PEXPIRE', '~cache:{ab}:user:k(user:0)', '60000', 'NX'],
      ['PEXPIRE', '~cache:{ab}:user:k(user:0)', '60000', 'GT'],
    ]);
  });

  it('adds the vector and its model and, for the client-side KNN, the packed vector record', () => {
    const commands = putEntryCommands(
      keys,
      { ...entry, id: 'a'.repeat(64), embedding: Float32Array.from([1, 0]), model: 'f0' },
      1_500.4,
      'packed',
      NS,
    );
    expect(commands[1]?.slice(-2)).toEqual(['embedding', Buffer.from(Float32Array.from([1, 0]).buffer)]);
    expect(commands[1]).toContain('f0');
    expect(commands.some((command) => command[0] === 'APPEND')).toBe(true);
    expect(commands[2]).toEqual(['PEXPIRE', `cache:{ab}:${'a'.repeat(64)}`, '1500']);
  });

  it('writes the tag digests in one TAG field and a member set per tag, whose TTL only grows', () => {
    const commands = putEntryCommands(keys, { ...entry, tags: ['t1', 't2'] }, 1_000, 'index', NS);
    const hash = commands[1] ?? [];
    expect(hash[hash.indexOf('tags') + 1]).toBe('t1,t2');
    expect(commands.slice(-6)).toEqual([
      ['SADD', '~cache:{ab}:tag:k(tag:t1)', 'e1'],
      ['PEXPIRE', '~cache:{ab}:tag:k(tag:t1)', '1000', 'NX'],
      ['PEXPIRE', '~cache:{ab}:tag:k(tag:t1)', '1000', 'GT'],
      ['SADD', '~cache:{ab}:tag:k(tag:t2)', 'e1'],
      ['PEXPIRE', '~cache:{ab}:tag:k(tag:t2)', '1000', 'NX'],
      ['PEXPIRE', '~cache:{ab}:tag:k(tag:t2)', '1000', 'GT'],
    ]);
  });

  it('leaves the packed vectors out when an index answers KNN', () => {
    const commands = putEntryCommands(
      keys,
      { ...entry, embedding: Float32Array.from([1, 0]) },
      1_000,
      'index',
      NS,
    );
    expect(commands.filter((command) => command[0] === 'SADD' || command[0] === 'APPEND')).toHaveLength(1);
  });

  it('on Redis 8 adds the vector to its vector set first, names the set in the hash, and keeps no packed record', () => {
    const id = 'a'.repeat(64);
    const embedding = Float32Array.from([1, 0]);
    const commands = putEntryCommands(
      keys,
      { ...entry, id, embedding, model: 'f0' },
      1_000,
      'vector-set',
      NS,
    );
    const set = '~cache:{ab}:scope:k(scope:cd:0:f0):vset:2';
    expect(commands.slice(0, 6)).toEqual([
      ['VADD', set, 'FP32', Buffer.from(embedding.buffer), id, 'NOQUANT'],
      ['PEXPIRE', set, '1000', 'NX'],
      ['PEXPIRE', set, '1000', 'GT'],
      ['SADD', '~cache:{ab}:user-keys:k(user:0)', set],
      ['PEXPIRE', '~cache:{ab}:user-keys:k(user:0)', '1000', 'NX'],
      ['PEXPIRE', '~cache:{ab}:user-keys:k(user:0)', '1000', 'GT'],
    ]);
    expect(commands[6]).toEqual(['DEL', `cache:{ab}:${id}`]);
    expect(commands[7]?.[0]).toBe('HSET');
    expect(commands[8]).toEqual(['HSET', `cache:{ab}:${id}`, 'vset', set]);
    expect(commands.some((command) => command[0] === 'APPEND')).toBe(false);
  });

  it('on Redis 8 writes no vector set for an entry without a vector, or with a zero one', () => {
    for (const embedding of [undefined, Float32Array.from([0, 0])]) {
      const commands = putEntryCommands(keys, { ...entry, embedding }, 1_000, 'vector-set', NS);
      expect(commands.map((command) => command[0])).not.toContain('VADD');
      expect(commands.flat()).not.toContain('vset');
    }
  });
});

describe('fencedWriteArgs', () => {
  it('declares every key, passes the start time and each command with its length', () => {
    const args = fencedWriteArgs(['~f'], 1_000, [
      ['DEL', 'a'],
      ['SADD', 's', 'x'],
    ]);
    expect(args[0]).toBe('EVAL');
    expect(args.slice(2)).toEqual(['3', '~f', 'a', 's', '1', '1000', '2', 'DEL', 'a', '3', 'SADD', 's', 'x']);
  });

  it('checks every fence (the user and each tag) before the keys it writes', () => {
    const args = fencedWriteArgs(['~u', '~t1', '~t2'], 5, [['SADD', 's', 'x']]);
    expect(args.slice(2, 9)).toEqual(['4', '~u', '~t1', '~t2', 's', '3', '5']);
  });
});
