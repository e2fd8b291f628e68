import { describe, expect, it } from 'vitest';
import { packRecord, recordBytes } from './packed-vectors.js';
import { scoreChunks, TopCandidates } from './scan-knn.js';

const DIMENSIONS = 1_536;
const idOf = (i: number) => i.toString(16).padStart(64, '0');

/** A deterministic unit-ish vector per index (no two alike). */
function vectorOf(i: number): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  for (let j = 0; j < DIMENSIONS; j++) vector[j] = Math.sin((i + 1) * (j + 1) * 0.618);
  return vector;
}

describe('scoreChunks (client-side KNN scoring)', () => {
  it('lets the event loop turn between chunks that all arrived at once, and finds the nearest', async () => {
    const perChunk = 100;
    const chunkCount = 8;
    const chunks: Promise<Buffer | null>[] = [];
    for (let c = 0; c < chunkCount; c++) {
      const records = Array.from({ length: perChunk }, (_, r) => {
        const i = c * perChunk + r;
        return packRecord(idOf(i), vectorOf(i)) as Buffer;
      });
      // Settled before scoring starts: what a pipelined burst of GETRANGE replies looks like.
      chunks.push(Promise.resolve(Buffer.concat(records)));
    }
    chunks.push(Promise.resolve(null));
    let turns = 0;
    let counting = true;
    const turn = () => {
      if (!counting) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);

    const target = 5 * perChunk + 17;
    const best = new TopCandidates(4);
    await scoreChunks(chunks, vectorOf(target), recordBytes(DIMENSIONS), best);
    counting = false;

    expect(best.ids()[0]).toBe(idOf(target));
    expect(best.ids()).toHaveLength(4);
    // One turn of the loop between two chunks at least: a count, not a clock. (Before: none; all
    // settled chunks were scored in one synchronous stretch.)
    expect(turns).toBeGreaterThanOrEqual(chunks.length - 1);
  });
});
