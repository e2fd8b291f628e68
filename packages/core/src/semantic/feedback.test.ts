import { describe, expect, it } from 'vitest';
import { DejaInputError } from '../errors.js';
import { sha256 } from '../keys/digest.js';
import {
  encodeHitReference,
  markBlocksServing,
  PAIR_MARKS,
  parseHitReference,
  parsePairMark,
  queryDigest,
  queryEntryKey,
  wrongHitFeedback,
} from './feedback.js';

const entryId = sha256('entry');
const tenantDigest = sha256('acme');
const reference = { entryId, queryDigest: queryDigest('What is the capital of France?'), similarity: 0.9312 };

describe('wrong-hit feedback', () => {
  it('round-trips a hit reference through its string form', () => {
    const text = encodeHitReference(reference);
    expect(text).toBe(`dh1:${entryId}:${reference.queryDigest}:0.9312`);
    expect(parseHitReference(text)).toEqual(reference);
  });

  it('refuses what deja did not make with a DejaInputError', () => {
    const good = encodeHitReference(reference);
    for (const bad of [
      undefined,
      42,
      '',
      good.replace('dh1', 'dh2'),
      `${good}:extra`,
      good.replace(entryId, 'not-hex'),
      good.replace(entryId, entryId.toUpperCase()),
      good.replace(':0.9312', ':1.5'),
      good.replace(':0.9312', ':NaN'),
      good.replace(':0.9312', ':0x1'),
      good.replace(':0.9312', ':'),
    ]) {
      expect(() => parseHitReference(bad)).toThrow(DejaInputError);
    }
    expect(() => encodeHitReference({ ...reference, similarity: Number.POSITIVE_INFINITY })).toThrow(
      DejaInputError,
    );
  });

  it('a report is one wrong outcome at its similarity and a marker for (tenant, query, entry)', () => {
    expect(wrongHitFeedback(reference, tenantDigest)).toEqual({
      evidence: { 'e1:93:w': 1 },
      markerKey: `qe1:${tenantDigest}:${reference.queryDigest}:${entryId}`,
    });
  });

  it('the marker key separates tenants, queries and entries', () => {
    const keys = new Set([
      queryEntryKey({ tenantDigest, queryDigest: reference.queryDigest, entryId }),
      queryEntryKey({ tenantDigest: sha256('globex'), queryDigest: reference.queryDigest, entryId }),
      queryEntryKey({ tenantDigest, queryDigest: queryDigest('What is the capital of Spain?'), entryId }),
      queryEntryKey({ tenantDigest, queryDigest: reference.queryDigest, entryId: sha256('other entry') }),
    ]);
    expect(keys.size).toBe(4);
    // Raw input never reaches the key (a ':' in a tenant id could forge another pair's key).
    expect(() =>
      queryEntryKey({ tenantDigest: 'acme:x', queryDigest: reference.queryDigest, entryId }),
    ).toThrow(DejaInputError);
  });

  it('digests the query text byte for byte: a different text is a different query', () => {
    expect(queryDigest('Capital of France?')).not.toBe(queryDigest('capital of France?'));
    expect(queryDigest('Capital of France?')).toBe(sha256('Capital of France?'));
  });

  it('a report or a cached "different" blocks the pair; "same", nothing or junk does not', () => {
    expect(markBlocksServing(parsePairMark(PAIR_MARKS.reportedWrong))).toBe(true);
    expect(markBlocksServing(parsePairMark('different'))).toBe(true);
    expect(markBlocksServing(parsePairMark('same'))).toBe(false);
    expect(parsePairMark('whatever')).toBeUndefined();
    expect(parsePairMark(null)).toBeUndefined();
    expect(markBlocksServing(undefined)).toBe(false);
  });
});
