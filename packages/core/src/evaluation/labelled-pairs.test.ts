import { describe, expect, it } from 'vitest';
import { DejaInputError } from '../errors.js';
import { planEvaluation } from './labelled-pairs.js';
import { paraphrasesToLabelledPairs } from './paraphrase-pairs.js';
import { splitPairs } from './split-pairs.js';

describe('planEvaluation', () => {
  it('stores each stored-side text once and looks up each query-side text once', () => {
    const plan = planEvaluation([
      { a: 'reset password', b: 'how to reset my password', same: true },
      // The same stored text again (a duplicate origin): one entry, right for both queries.
      { a: 'reset password', b: 'password reset please', same: true },
      { a: 'ship to Canada', b: 'how to reset my password', same: false },
      // A query labelled only different: every hit of it is wrong.
      { a: 'ship to Canada', b: 'ship to Mexico', same: false },
    ]);
    expect(plan.stored).toEqual(['reset password', 'ship to Canada']);
    expect(plan.queries.map((query) => [query.text, [...query.rightAnswers]])).toEqual([
      ['how to reset my password', [0]],
      ['password reset please', [0]],
      ['ship to Mexico', []],
    ]);
  });

  it('a query labelled the same as two stored texts is right on either', () => {
    const plan = planEvaluation([
      { a: 'x', b: 'q', same: true },
      { a: 'y', b: 'q', same: true },
    ]);
    expect([...(plan.queries[0]?.rightAnswers ?? [])]).toEqual([0, 1]);
  });

  it('a query that is also a stored text is right on its identical entry', () => {
    const plan = planEvaluation([
      { a: 'x', b: 'q', same: false },
      { a: 'q', b: 'r', same: true },
    ]);
    expect(plan.stored).toEqual(['x', 'q']);
    expect(plan.queries.map((query) => [query.text, [...query.rightAnswers]])).toEqual([
      ['q', [1]],
      ['r', [1]],
    ]);
  });

  it('refuses contradictory labels and empty texts', () => {
    expect(() => planEvaluation([{ a: 'q', b: 'q', same: false }])).toThrow(/different from itself/);
    const contradiction = () =>
      planEvaluation([
        { a: 'x', b: 'q', same: true },
        { a: 'x', b: 'q', same: false },
      ]);
    expect(contradiction).toThrow(DejaInputError);
    expect(contradiction).toThrow(/pair 1 contradicts/);
    expect(() => planEvaluation([{ a: ' ', b: 'q', same: true }])).toThrow(/pair 0 has an empty text/);
  });
});

describe('paraphrasesToLabelledPairs', () => {
  it('keeps even pairs; odd pairs lose their origin and are labelled different from the previous origin', () => {
    const pairs = paraphrasesToLabelledPairs([
      { origin: 'o0', similar: 's0' },
      { origin: 'o1', similar: 's1' },
      { origin: 'o2', similar: 's2' },
    ]);
    expect(pairs).toEqual([
      { a: 'o0', b: 's0', same: true },
      { a: 'o0', b: 's1', same: false },
      { a: 'o2', b: 's2', same: true },
    ]);
    // o1 is never stored: s1 has no answer in the cache.
    expect(planEvaluation(pairs).stored).toEqual(['o0', 'o2']);
  });
});

describe('splitPairs', () => {
  const pairs = Array.from({ length: 11 }, (_, i) => ({ a: `a${i % 4}`, b: `b${i % 9}`, same: i % 3 === 0 }));

  it('is deterministic per seed, splits by query text, and loses nothing', () => {
    const first = splitPairs(pairs, 7);
    expect(splitPairs(pairs, 7)).toEqual(first);
    expect(splitPairs(pairs, 8)).not.toEqual(first);
    expect([...first.tuning, ...first.heldOut]).toHaveLength(pairs.length);
    for (const pair of pairs) expect([...first.tuning, ...first.heldOut]).toContainEqual(pair);
    const tuningQueries = new Set(first.tuning.map((pair) => pair.b));
    const heldOutQueries = new Set(first.heldOut.map((pair) => pair.b));
    // 9 distinct queries: 5 tune, 4 held out, none on both sides.
    expect([tuningQueries.size, heldOutQueries.size]).toEqual([5, 4]);
    for (const query of tuningQueries) expect(heldOutQueries.has(query)).toBe(false);
  });
});
