import { describe, expect, it } from 'vitest';
import {
  addFields,
  binFloor,
  emptyEvidence,
  evidenceSize,
  memoryEvidenceStore,
  mergeFields,
  outcomeFields,
  parseEvidence,
  SIMILARITY_BINS,
  serializeEvidence,
  similarityBin,
} from './evidence.js';

describe('evidence', () => {
  it('bins similarities by 0.01, keeping floating-point edges in their own bin', () => {
    expect(similarityBin(0.9)).toBe(90);
    expect(similarityBin(0.29)).toBe(29); // 0.29 * 100 = 28.999999999999996
    expect(similarityBin(0.57)).toBe(57);
    expect(similarityBin(0.8999)).toBe(89);
    expect(similarityBin(1)).toBe(SIMILARITY_BINS - 1);
    expect(similarityBin(1.0000001)).toBe(SIMILARITY_BINS - 1);
    expect(similarityBin(-0.3)).toBe(0);
    expect(binFloor(similarityBin(0.93))).toBe(0.93);
  });

  it('turns outcomes into additive HINCRBY-style deltas that merge by addition', () => {
    const deltas = mergeFields(
      mergeFields(outcomeFields(0.95, true), outcomeFields(0.951, true)),
      outcomeFields(0.95, false),
    );
    expect(deltas).toEqual({ 'e1:95:r': 2, 'e1:95:w': 1 });
    const evidence = addFields(emptyEvidence(), deltas);
    expect(evidence.right[95]).toBe(2);
    expect(evidence.wrong[95]).toBe(1);
    expect(evidenceSize(evidence)).toEqual({ right: 2, wrong: 1 });
  });

  it('round-trips through the wire format, leaving empty bins out', () => {
    const evidence = addFields(emptyEvidence(), { 'e1:90:r': 7, 'e1:99:w': 2 });
    expect(serializeEvidence(evidence)).toEqual({ 'e1:90:r': 7, 'e1:99:w': 2 });
    expect(parseEvidence(serializeEvidence(evidence))).toEqual(evidence);
  });

  it('accepts counts as Redis returns them (strings) and ignores foreign or corrupt fields', () => {
    const evidence = parseEvidence({
      'e1:90:r': '12',
      'e1:90:w': 3,
      'e2:90:r': 5, // a future format
      'e1:100:r': 5, // no such bin
      'e1:91:x': 5,
      'e1:92:r': -4,
      'e1:93:r': 1.5,
      'e1:94:r': '1e3',
      'e1:95:w': 'NaN',
      'e1:96:r': null,
      semanticHits: 40, // a stats counter in the same hash
      ['__proto__']: 9,
    });
    expect(serializeEvidence(evidence)).toEqual({ 'e1:90:r': 12, 'e1:90:w': 3 });
    expect(Object.getPrototypeOf(mergeFields({}, JSON.parse('{"__proto__": 1}')))).toBe(Object.prototype);
  });

  it('keeps parsed evidence immutable: adding returns a new object', () => {
    const before = emptyEvidence();
    const after = addFields(before, outcomeFields(0.9, true));
    expect(before.right[90]).toBe(0);
    expect(after.right[90]).toBe(1);
  });

  it('memoryEvidenceStore adds, never replaces', async () => {
    const store = memoryEvidenceStore();
    await store.add({ 'e1:90:r': 1 });
    await store.add({ 'e1:90:r': 2, 'e1:90:w': 1 });
    expect(await store.read()).toEqual({ 'e1:90:r': 3, 'e1:90:w': 1 });
  });
});
