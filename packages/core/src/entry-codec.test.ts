import { describe, expect, it } from 'vitest';
import { decodeEntry, decodeEntryMeta, encodeEntryMeta } from './entry-codec.js';
import { DejaInputError } from './errors.js';
import { encodePayload } from './payload.js';

const refusal = (meta: unknown): unknown => {
  try {
    encodeEntryMeta(meta as never);
  } catch (error) {
    return error;
  }
  return 'no refusal';
};

const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;

describe('entry metadata', () => {
  it.each([
    ['custom holding a BigInt', { custom: { big: 1n } }, /bigint/],
    ['custom holding a cycle', { custom: { loop: cyclic } }, /cycle/],
    ['custom with a constructor key', { custom: { constructor: 'x' } }, /constructor/],
    ['custom with a nested prototype key', { custom: { a: { prototype: 1 } } }, /prototype/],
    ['custom with a __proto__ key', { custom: JSON.parse('{"__proto__": {"x": 1}}') }, /__proto__/],
    ['custom holding a Date (JSON would make it a string)', { custom: { at: new Date(0) } }, /Date/],
    ['custom holding undefined in an array', { custom: { list: [undefined] } }, /undefined/],
    ['a non-string model', { model: 42 }, /model/],
    ['usage of -1', { usage: { inputTokens: -1, outputTokens: 5 } }, /negative/],
    ['usage of Infinity', { usage: { inputTokens: 1, outputTokens: Number.POSITIVE_INFINITY } }, /Infinity/],
    ['usage of NaN', { usage: { inputTokens: Number.NaN, outputTokens: 1 } }, /NaN/],
    ['usage with a missing count', { usage: { inputTokens: 1 } }, /outputTokens/],
    ['an unknown field', { extra: 1 }, /extra|Unrecognized/],
  ])('refuses %s with a DejaInputError that says why', (_name, meta, reason) => {
    const error = refusal(meta);
    expect(error).toBeInstanceOf(DejaInputError);
    expect((error as Error).message).toMatch(reason);
  });

  it('refuses custom metadata nested 10,000 deep with a DejaInputError, not a RangeError', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 10_000; level++) deep = { next: deep };
    expect(refusal({ custom: { deep } })).toBeInstanceOf(DejaInputError);
  });

  it('writes what it reads: accepted metadata decodes to the same object', () => {
    const meta = {
      model: 'gpt-x',
      usage: { inputTokens: 12, outputTokens: 0.5 },
      usageEstimated: true,
      custom: { trace: 'abc', nested: [1, { ok: null }] },
    };
    expect(decodeEntryMeta(encodeEntryMeta(meta))).toStrictEqual(meta);
    expect(decodeEntryMeta(encodeEntryMeta(undefined))).toStrictEqual({});
  });

  it('an entry written with accepted metadata decodes; one written around the checks does not', () => {
    const stored = {
      id: 'id',
      tenant: 't',
      user: '0',
      scope: 's',
      text: '',
      response: encodePayload('answer'),
      meta: encodeEntryMeta({ model: 'm' }),
      createdAt: Date.now(),
    };
    expect(decodeEntry(stored)?.value).toBe('answer');
    // What `JSON.stringify(meta)` used to store for usage of -1: unreadable, hence refused above.
    expect(
      decodeEntry({ ...stored, meta: JSON.stringify({ usage: { inputTokens: -1, outputTokens: 1 } }) }),
    ).toBeUndefined();
  });
});
