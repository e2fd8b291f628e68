// The error bound end to end, through wrap (the real lookup path, memory store), on the dev set's
// real MiniLM vectors: every other origin is stored, every similar is asked (so half the questions
// have no answer in the cache and whatever they land on is a look-alike negative), in a shuffled
// stream, twice. The fresh answer of a miss is the true answer of its pair, so `equivalent`
// (default: equal values) is the labels' oracle. Of the semantic hits served without
// verification, the wrong share must stay within δ plus a stated slack.
// Dev set: these figures are measured on data deja is tuned on, never quoted as unseen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Embedder } from '../src/index.ts';
import { memoryDeja } from './support.ts';

const DATA = join(import.meta.dirname, '..', '..', '..', 'data');
const DIMENSIONS = 384;

function devSet() {
  const pairs = JSON.parse(readFileSync(join(DATA, 'paraphrase-pairs.json'), 'utf8')) as {
    origin: string;
    similar: string;
  }[];
  const bytes = readFileSync(join(DATA, 'paraphrase-minilm-384.f32'));
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const row = (i: number) => floats.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS);
  const vectors = new Map<string, Float32Array>();
  pairs.forEach((pair, i) => {
    vectors.set(pair.origin, row(i));
    vectors.set(pair.similar, row(pairs.length + i));
  });
  const embedder: Embedder = {
    modelId: 'all-MiniLM-L6-v2-devset',
    dimensions: DIMENSIONS,
    async embed(texts) {
      return texts.map((text) => vectors.get(text) as Float32Array);
    },
  };
  return { pairs, embedder };
}

/** A seeded shuffle, so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('the error bound on a labelled stream (dev set, through wrap)', () => {
  const { pairs, embedder } = devSet();

  it.each([0.05, 0.1])(
    'serves unverified hits with an error rate within δ = %s plus slack',
    async (delta) => {
      const { deja } = memoryDeja({ embedder, maxErrorRate: delta, minSimilarity: 0.7 });
      const tenant = deja.tenant(`stream-${delta}`);
      // The answer of a question is its origin's text (the set repeats some origins).
      for (const [i, pair] of pairs.entries())
        if (i % 2 === 0)
          await tenant.responses.store({ key: pair.origin, semanticText: pair.origin }, pair.origin);
      let served = 0;
      let wrong = 0;
      for (const pass of [1, 2]) {
        for (const pair of shuffled(pairs, 7 * pass)) {
          const request = { key: { pass, text: pair.similar }, semanticText: pair.similar };
          // Nothing new is stored: the stream keeps meeting the same look-alikes.
          const result = await tenant.responses.wrap(request, async () => pair.origin, {
            shouldCache: () => false,
          });
          if (result.hit !== 'semantic' || result.verified) continue;
          served++;
          if (result.value !== pair.origin) wrong++;
        }
      }
      const slack = served === 0 ? 0 : 3 * Math.sqrt((delta * (1 - delta)) / served);
      console.info(
        `δ=${delta}: ${served} unverified hits in ${2 * pairs.length} lookups, ${wrong} wrong ` +
          `(${served ? ((100 * wrong) / served).toFixed(2) : '–'} %), ${deja.stats().semantic.outcomes} outcomes`,
      );
      expect(wrong).toBeLessThanOrEqual(served * (delta + slack));
      // The bound must open on this data at the looser δ, or it teaches nothing.
      if (delta === 0.1) expect(served).toBeGreaterThan(0);
    },
  );
});
