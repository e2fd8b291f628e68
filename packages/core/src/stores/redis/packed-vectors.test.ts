import { describe, expect, it } from 'vitest';
import {
  compactArgs,
  HEADER_BYTES,
  packedHeader,
  packRecord,
  recordBytes,
  recordId,
} from './packed-vectors.js';

const HEX_ID = 'ab'.repeat(32);

describe('packed vectors', () => {
  it('packs a sha256 id in 33 bytes and reads it back; short other ids too; longer ones are refused', () => {
    const vector = Float32Array.from([3, 4]);
    const record = packRecord(HEX_ID, vector) as Buffer;
    expect(record.length).toBe(recordBytes(2));
    expect(recordId(record, 0)).toBe(HEX_ID);
    expect(recordId(packRecord('e1', vector) as Buffer, 0)).toBe('e1');
    expect(packRecord('x'.repeat(33), vector)).toBeUndefined();
  });

  it('quantises the normalised vector to int8 with a scale that restores it within 1 %', () => {
    const vector = Float32Array.from([0.3, -0.5, 0.1, 0.8]);
    const record = packRecord(HEX_ID, vector) as Buffer;
    const scale = record.readFloatLE(33);
    const norm = Math.hypot(...vector);
    for (let j = 0; j < vector.length; j++)
      expect(record.readInt8(37 + j) * scale).toBeCloseTo((vector[j] as number) / norm, 2);
    expect(Math.max(...Array.from({ length: 4 }, (_, j) => Math.abs(record.readInt8(37 + j))))).toBe(127);
  });

  it('refuses a zero or non-finite vector (no direction to compare)', () => {
    expect(packRecord(HEX_ID, Float32Array.from([0, 0]))).toBeUndefined();
    expect(packRecord(HEX_ID, Float32Array.from([Number.NaN, 1]))).toBeUndefined();
  });

  it('writes the generation and dimension in the header; compaction compares the generation', () => {
    const header = packedHeader(7, 384);
    expect(header.length).toBe(HEADER_BYTES);
    expect([header.readUInt32LE(0), header.readUInt32LE(4)]).toEqual([7, 384]);
    const head = Buffer.from('new');
    expect(compactArgs('k', header.subarray(0, 4), 100, head).slice(2)).toEqual([
      '1',
      'k',
      header.subarray(0, 4),
      '100',
      head,
    ]);
  });
});
