// The argument arrays of the small command builders (locks, counters, byte values, server).
import { describe, expect, it } from 'vitest';
import { getBytesArgs, setBytesArgs, setBytesKeepLongerArgs } from './byte-commands.js';
import {
  addCountersCommands,
  COUNTERS_TTL_MS,
  parseHashReply,
  readCountersArgs,
} from './counter-commands.js';
import { deleteKeysArgs, getEntryArgs } from './entry-commands.js';
import { countEntriesArgs } from './knn-query.js';
import { acquireLockArgs, releaseLockArgs } from './lock-commands.js';
import { parseUsedMemory, popMembersArgs, scanArgs } from './server-commands.js';

describe('command builders', () => {
  it('entries: HMGET of the read fields, DEL of keys', () => {
    expect(getEntryArgs('k')).toEqual([
      'HMGET',
      'k',
      'text',
      'ns',
      'tenant',
      'user',
      'scope',
      'model',
      'bucket',
      'tags',
      'created_at',
      'response',
      'meta',
    ]);
    expect(deleteKeysArgs(['a', 'b'])).toEqual(['DEL', 'a', 'b']);
  });

  it('locks: SET NX PX with a whole positive TTL; release only by its token', () => {
    expect(acquireLockArgs('l', 'tok', 0.4)).toEqual(['SET', 'l', 'tok', 'NX', 'PX', '1']);
    const release = releaseLockArgs('l', 'tok');
    expect([release[0], release[2], release[3], release[4]]).toEqual(['EVAL', '1', 'l', 'tok']);
    expect(release[1]).toContain("redis.call('GET', KEYS[1]) == ARGV[1]");
  });

  it('counters: one HINCRBYFLOAT per changed counter and a TTL; nothing for no change', () => {
    expect(addCountersCommands('c', { hits: 2, misses: 0, cost: 0.25, broken: Number.NaN })).toEqual([
      ['HINCRBYFLOAT', 'c', 'hits', '2'],
      ['HINCRBYFLOAT', 'c', 'cost', '0.25'],
      ['PEXPIRE', 'c', String(COUNTERS_TTL_MS)],
    ]);
    expect(addCountersCommands('c', { hits: 0 })).toEqual([]);
    expect(readCountersArgs('c')).toEqual(['HGETALL', 'c']);
    expect(parseHashReply(['a', '1', 'b', '2'])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(parseHashReply({ a: 1 })).toEqual([['a', '1']]);
    expect(parseHashReply(new Map([['a', '1']]))).toEqual([['a', '1']]);
  });

  it('byte values kept longer: value replaced with its TTL kept, else created with one, then the TTL only raised', () => {
    const value = Buffer.from([7]);
    expect(setBytesKeepLongerArgs('k', new Uint8Array([7]), 1500.4)).toEqual([
      ['SET', 'k', value, 'KEEPTTL', 'XX'],
      ['SET', 'k', value, 'PX', '1500', 'NX'],
      ['PEXPIRE', 'k', '1500', 'GT'],
    ]);
  });

  it('byte values: GET for one key, MGET for several, SET PX with the raw bytes', () => {
    expect(getBytesArgs(['a'])).toEqual(['GET', 'a']);
    expect(getBytesArgs(['a', 'b'])).toEqual(['MGET', 'a', 'b']);
    const [set, key, value, px, ttl] = setBytesArgs('k', new Uint8Array([1, 2]), 1500.6);
    expect([set, key, [...(value as Buffer)], px, ttl]).toEqual(['SET', 'k', [1, 2], 'PX', '1501']);
  });

  it('server: SCAN with and without a type, SPOP a batch, used memory from INFO', () => {
    expect(scanArgs('0', 'p*')).toEqual(['SCAN', '0', 'MATCH', 'p*', 'COUNT', '1000']);
    expect(scanArgs('7', 'p*', 'hash')).toEqual([
      'SCAN',
      '7',
      'MATCH',
      'p*',
      'COUNT',
      '1000',
      'TYPE',
      'hash',
    ]);
    expect(popMembersArgs('s', 500)).toEqual(['SPOP', 's', '500']);
    expect(parseUsedMemory('# Memory\r\nused_memory:1234\r\n')).toBe(1234);
    expect(parseUsedMemory('nothing')).toBeUndefined();
  });

  it('count: every entry of this namespace, or of a tenant by its hex digest only', () => {
    expect(countEntriesArgs('idx', 'ee')).toEqual([
      'FT.SEARCH',
      'idx',
      '@ns:{ee}',
      'LIMIT',
      '0',
      '0',
      'DIALECT',
      '2',
    ]);
    expect(countEntriesArgs('idx', 'ee', 'ab')).toEqual([
      'FT.SEARCH',
      'idx',
      '@ns:{ee} @tenant:{ab}',
      'LIMIT',
      '0',
      '0',
      'DIALECT',
      '2',
    ]);
    expect(() => countEntriesArgs('idx', 'ee', 'a} | @x:{b')).toThrow(/hex digests/);
  });
});
