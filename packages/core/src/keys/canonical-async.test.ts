import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DejaInputError } from '../errors.js';
import { canonicalDigest, canonicalJson } from './canonical.js';
import { canonicalDigestAsync, canonicalSample } from './canonical-async.js';
import { MAX_KEY_LENGTH, STRING_SLICE } from './canonical-output.js';
import { YIELD_EVERY } from './deferred-output.js';

/** Counts turns of the event loop (one per check phase) until stopped. */
function loopTurns(): { count(): number; stop(): void } {
  let turns = 0;
  let running = true;
  void (async () => {
    while (running) {
      await yieldToLoop();
      turns++;
    }
  })();
  return {
    count: () => turns,
    stop: () => {
      running = false;
    },
  };
}

const atSliceEdge = (tail: string) => 'a'.repeat(STRING_SLICE - 1) + tail;

describe('canonicalDigestAsync', () => {
  const values: [string, unknown][] = [
    ['a small key', { model: 'm', messages: [{ role: 'user', content: 'hi' }], n: 1 }],
    ['a surrogate pair across a slice edge', { prompt: `${atSliceEdge('😀')}b` }],
    ['a lone high surrogate at a slice edge', [atSliceEdge('\uD800'), atSliceEdge('\uD800x')]],
    ['a lone low surrogate after a slice edge', `${'a'.repeat(STRING_SLICE)}\uDC00z`],
    ['text that needs escapes', `"\\\n\u0001`.repeat(STRING_SLICE / 2)],
    ['long strings inside a Map and a Set', new Map([['k', new Set(['x'.repeat(STRING_SLICE * 2)])]])],
    ['many small parts', Array.from({ length: 200_000 }, (_, i) => `item ${i}`)],
    ['bytes and a long key', { ['k'.repeat(STRING_SLICE)]: new Uint8Array(400_000).fill(3) }],
  ];

  it.each(values)('gives the synchronous digest for %s', async (_, value) => {
    expect(await canonicalDigestAsync(value)).toBe(canonicalDigest(value));
  });

  it('refuses a key whose escapes take it past MAX_KEY_LENGTH (the raw text fits)', async () => {
    const quotes = '"'.repeat(MAX_KEY_LENGTH / 2 + 10);
    await expect(canonicalDigestAsync(quotes)).rejects.toBeInstanceOf(DejaInputError);
    expect(() => canonicalDigest(quotes)).toThrow(DejaInputError);
  });

  it('lets the event loop turn while it hashes a 5 MB prompt, about once per slice', async () => {
    const prompt = 'the quick brown fox '.repeat(256 * 1024);
    const turns = loopTurns();
    const digest = await canonicalDigestAsync({ messages: [{ role: 'user', content: prompt }] });
    turns.stop();
    expect(digest).toBe(canonicalDigest({ messages: [{ role: 'user', content: prompt }] }));
    // Escaping and hashing happen in slices with a turn of the loop after each YIELD_EVERY
    // characters: a count of turns, not a clock, so a loaded machine cannot break it.
    expect(turns.count()).toBeGreaterThanOrEqual(Math.floor(prompt.length / YIELD_EVERY));
  });
});

describe('canonicalDigestAsync on a key that throws while it is read', () => {
  it('rejects rather than throwing at once, on the fast path as on the sliced one', async () => {
    const throwing = {
      get prompt(): string {
        throw new Error('getter failed');
      },
    };
    for (const key of [throwing, { big: 'x'.repeat(STRING_SLICE), throwing }]) {
      let digesting: Promise<string> | undefined;
      expect(() => {
        digesting = canonicalDigestAsync(key);
      }).not.toThrow();
      await expect(digesting).rejects.toThrow('getter failed');
    }
  });
});

describe('canonicalSample', () => {
  it('gives the head of the canonical text and its length, without building it whole', async () => {
    const value = { prompt: 'word '.repeat(400_000), model: 'm' };
    const text = canonicalJson(value);
    const sample = await canonicalSample(value, 1_000);
    expect(sample).toEqual({ head: text.slice(0, 1_000), length: text.length });
  });

  it('gives the whole text when it is shorter than the head', async () => {
    const value = ['a', 1, null, { b: true }];
    expect(await canonicalSample(value, 1_000)).toEqual({
      head: canonicalJson(value),
      length: canonicalJson(value).length,
    });
  });
});
