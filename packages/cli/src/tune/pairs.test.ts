import { describe, expect, it } from 'vitest';
import { DejaCliError } from '../errors.js';
import { parsePairs } from './pairs.js';

describe('parsePairs', () => {
  it('reads explicit {a, b, same} pairs', () => {
    const pairs = [
      { a: 'x', b: 'y', same: true },
      { a: 'x', b: 'z', same: false },
    ];
    expect(parsePairs(pairs, 'pairs.json')).toEqual(pairs);
  });

  it('reads GPTCache {origin, similar} pairs: odd ones lose their origin and become unanswerable queries', () => {
    const pairs = parsePairs(
      [
        { origin: 'o1', similar: 's1' },
        { origin: 'o2', similar: 's2' },
        { origin: 'o3', similar: 's3' },
      ],
      'mock_data.json',
    );
    expect(pairs).toEqual([
      { a: 'o1', b: 's1', same: true },
      { a: 'o1', b: 's2', same: false },
      { a: 'o3', b: 's3', same: true },
    ]);
  });

  it('says which item is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [{}, /expected a JSON array of pairs/],
      [[], /expected a JSON array of pairs/],
      [[{ a: 'x', b: 'y', same: 'yes' }], /item 0 is not \{a: string, b: string, same: boolean\}/],
      [
        [
          { a: 'x', b: 'y', same: true },
          { a: '', b: 'y', same: false },
        ],
        /item 1 has an empty text/,
      ],
      [[{ origin: 'x', similar: 'y' }, { origin: 'x' }], /item 1 is not \{origin: string, similar: string\}/],
      [[{ origin: 'x', similar: 'y' }], /at least 2/],
    ];
    for (const [data, message] of cases) {
      expect(() => parsePairs(data, 'f.json')).toThrow(DejaCliError);
      expect(() => parsePairs(data, 'f.json')).toThrow(message);
    }
  });
});
