// The writer and the reader agree: every value and every metadata object the writer accepts reads
// back as the same value, and everything else is refused with a DejaInputError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntryMeta, encodeEntryMeta } from './entry-codec.js';
import { DejaInputError } from './errors.js';
import { decodePayload, encodePayload } from './payload.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** True when a JSON value holds a key the writer refuses by design (those are tested apart). */
const holdsForbiddenKey = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.some(holdsForbiddenKey)
    : typeof value === 'object' && value !== null
      ? Object.entries(value).some(([name, item]) => FORBIDDEN.has(name) || holdsForbiddenKey(item))
      : false;

/** Keys that look like deja's own tags, mixed with ordinary ones. */
const key = fc.oneof(
  fc.constantFrom('$deja:date', '$deja:bytes', '$deja:', '$deja:$deja:date', '$deja', 'a', 'b'),
  fc.string({ maxLength: 8 }).filter((text) => !FORBIDDEN.has(text)),
);

const { value: cacheable } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.string(),
      fc.constantFrom('$deja:date', '1970-01-01T00:00:00.000Z', 'AQID'),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
      fc.boolean(),
      fc.constant(null),
      fc.date({ noInvalidDate: true }),
      fc.uint8Array({ maxLength: 8 }),
    ),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));

/** What JSON keeps of an accepted value: -0 becomes 0, undefined properties vanish. */
function asStored(value: unknown): unknown {
  if (typeof value === 'number') return value === 0 ? 0 : value;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(asStored);
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) if (item !== undefined) out[name] = asStored(item);
  return out;
}

function refusedOrRoundTrips(value: unknown): void {
  let encoded: string;
  try {
    encoded = encodePayload(value);
  } catch (error) {
    expect(error).toBeInstanceOf(DejaInputError);
    return;
  }
  expect(decodePayload(encoded)?.data).toStrictEqual(asStored(value));
}

describe('payload round trip (property)', () => {
  it('every cacheable value, tag look-alikes included, reads back exactly', () => {
    fc.assert(
      fc.property(cacheable, (value) => {
        expect(decodePayload(encodePayload(value))?.data).toStrictEqual(value);
      }),
      { numRuns: 5_000 },
    );
  });

  it('any value at all is either refused with a DejaInputError or reads back the same', () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withObjectString: true,
      key,
    });
    fc.assert(fc.property(anything, refusedOrRoundTrips), { numRuns: 5_000 });
  });
});

describe('entry metadata round trip (property)', () => {
  const meta = fc.record(
    {
      model: fc.string(),
      usage: fc.record(
        {
          inputTokens: fc.nat(),
          outputTokens: fc
            .double({ min: 0, noNaN: true, noDefaultInfinity: true })
            .map((n) => (n === 0 ? 0 : n)),
        },
        { noNullPrototype: true },
      ),
      usageEstimated: fc.boolean(),
      custom: fc.dictionary(
        key,
        fc
          .jsonValue()
          .filter((value) => !holdsForbiddenKey(value))
          .map(asStored),
        { maxKeys: 4, noNullPrototype: true },
      ),
    },
    { requiredKeys: [], noNullPrototype: true },
  );

  it('every metadata object the writer accepts reads back the same', () => {
    fc.assert(
      fc.property(meta, (value) => {
        expect(decodeEntryMeta(encodeEntryMeta(value))).toStrictEqual(value);
      }),
      { numRuns: 3_000 },
    );
  });

  it('any metadata at all is either refused with a DejaInputError or reads back the same', () => {
    const wild = fc.record(
      {
        model: fc.anything(),
        usage: fc.record({ inputTokens: fc.anything(), outputTokens: fc.double() }),
        usageEstimated: fc.anything(),
        custom: fc.dictionary(
          fc.oneof(key, fc.constantFrom(...FORBIDDEN)),
          fc.anything({ withBigInt: true, withDate: true }),
        ),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(wild, (value) => {
        let encoded: string;
        try {
          encoded = encodeEntryMeta(value as never);
        } catch (error) {
          expect(error).toBeInstanceOf(DejaInputError);
          return;
        }
        expect(decodeEntryMeta(encoded)).toStrictEqual(asStored(value));
      }),
      { numRuns: 3_000 },
    );
  });
});
