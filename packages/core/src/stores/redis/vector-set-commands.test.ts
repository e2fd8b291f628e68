import { describe, expect, it } from 'vitest';
import { keyLayout } from './keys.js';
import {
  parseHasVectorSets,
  parseSimilarReply,
  pruneElementsArgs,
  similarArgs,
  similarityFromVectorSetScore,
  VADD_COMMAND_INFO,
  vectorSetKey,
} from './vector-set-commands.js';

const keys = keyLayout('cache:', (text) => `k(${text})`);

describe('vector set commands', () => {
  it('names one set per (tenant, scope, user, model) and dimension, in the tenant slot', () => {
    expect(vectorSetKey(keys, { tenant: 'ab', scope: 'cd', user: 'ef', model: 'f0' }, 384)).toBe(
      '~cache:{ab}:scope:k(scope:cd:ef:f0):vset:384',
    );
    expect(vectorSetKey(keys, { tenant: 'ab', scope: 'cd', user: 'ef' }, 384)).toBe(
      '~cache:{ab}:scope:k(scope:cd:ef:):vset:384',
    );
  });

  it('asks VSIM for the nearest elements with their scores, the vector as a float32 blob', () => {
    const vector = Float32Array.from([0.5, -1]);
    expect(similarArgs('s', vector, 9)).toEqual([
      'VSIM',
      's',
      'FP32',
      Buffer.from(vector.buffer),
      'WITHSCORES',
      'COUNT',
      '9',
    ]);
  });

  it("turns VSIM's score, (1 + cosine) / 2, into the cosine, clamped to [0, 1]", () => {
    expect(similarityFromVectorSetScore(1)).toBe(1);
    expect(similarityFromVectorSetScore(0.9)).toBeCloseTo(0.8, 12);
    expect(similarityFromVectorSetScore(0.5)).toBe(0);
    expect(similarityFromVectorSetScore(0.1)).toBe(0);
  });

  it('reads RESP2 pairs and a RESP3 map alike, best first', () => {
    const expected = [
      { id: 'b', similarity: 0.8 },
      { id: 'a', similarity: 0.5 },
    ];
    const close = (elements: { id: string; similarity: number }[]) =>
      elements.map(({ id, similarity }) => ({ id, similarity: Math.round(similarity * 1e9) / 1e9 }));
    expect(close(parseSimilarReply(['a', '0.75', 'b', '0.9']))).toEqual(expected);
    expect(
      close(
        parseSimilarReply(
          new Map([
            ['b', 0.9],
            ['a', 0.75],
          ]),
        ),
      ),
    ).toEqual(expected);
    expect(close(parseSimilarReply({ a: 0.75, b: 0.9 }))).toEqual(expected);
    expect(parseSimilarReply([])).toEqual([]);
    expect(parseSimilarReply(null)).toEqual([]);
  });

  it('prunes in one script over the set and the entry keys, ids in the same order', () => {
    const args = pruneElementsArgs('set', [
      { key: 'cache:{ab}:1', id: '1' },
      { key: 'cache:{ab}:2', id: '2' },
    ]);
    expect(args[0]).toBe('EVAL');
    expect(String(args[1])).toContain("'vset'");
    expect(args.slice(2)).toEqual(['3', 'set', 'cache:{ab}:1', 'cache:{ab}:2', '1', '2']);
  });

  it('detects vector sets by COMMAND INFO VADD: described on Redis 8, nil on Redis 7', () => {
    expect(VADD_COMMAND_INFO).toEqual(['COMMAND', 'INFO', 'VADD']);
    expect(parseHasVectorSets([['VADD', -1, ['write', 'denyoom', 'module']]])).toBe(true);
    expect(parseHasVectorSets([['vadd', -1, []]])).toBe(true);
    expect(parseHasVectorSets([null])).toBe(false);
    expect(parseHasVectorSets([])).toBe(false);
  });
});
