// The hit path reads stored entries without zod and without a second scan of the text. Its verdicts
// are held here to the references they replaced, on stored text of every shape, well-formed or
// tampered: the metadata schema itself (entryMetaSchema over parseJsonSafely), and the payload
// reader as it was written with a schema and a copying walk (kept below as the reference).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeEntryMeta, entryMetaSchema } from './entry-codec.js';
import { decodePayload, parseJsonSafely } from './payload.js';

/** JSON text built by hand, so keys can repeat, be spelled with \u escapes or be `__proto__`. */
type Json = string;
const text = (value: unknown): Json => JSON.stringify(value);
const object = (fields: [Json, Json][]): Json =>
  `{${fields.map(([key, item]) => `${key}:${item}`).join(',')}}`;
const array = (items: Json[]): Json => `[${items.join(',')}]`;

const keyText = (names: string[]) =>
  fc.oneof(
    fc.constantFrom(...names).map(text),
    fc.constantFrom('"__proto__"', '"constructor"', '"prototype"', '"\\u005f_proto__"', '"\\u0070rototype"'),
    fc.string({ maxLength: 4 }).map(text),
  );

const leafText = fc.oneof(
  fc.constantFrom('1', '-1', '0', '-0', '0.5', '1e999', '-1e999', 'true', 'false', 'null', '""', '"x"'),
  fc.constantFrom('"1970-01-01T00:00:00.000Z"', '"not a date"', '"AQID"', '"%%"'),
  fc.string({ maxLength: 6 }).map(text),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(text),
);

const TAG_KEYS = ['$deja:date', '$deja:bytes', '$deja:$deja:date', '$deja:', '$deja:x', '$deja:$deja:', 'a'];

const jsonText = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leafText,
    fc.array(tie('value'), { maxLength: 3 }).map(array),
    fc.array(fc.tuple(keyText(TAG_KEYS), tie('value')), { maxLength: 3 }).map(object),
  ),
})).value;

describe('entry metadata is read with the schema verdict (property)', () => {
  const reference = (stored: string) => {
    const parsed = entryMetaSchema.safeParse(parseJsonSafely(stored));
    return parsed.success ? parsed.data : undefined;
  };
  // Mostly usable counts, so a single odd one (1e999, -1, an extra field, one missing) decides.
  const count = fc.oneof({ weight: 4, arbitrary: fc.nat().map(text) }, { weight: 1, arbitrary: leafText });
  const usageText = fc
    .tuple(
      fc.option(count, { freq: 6 }),
      fc.option(count, { freq: 6 }),
      fc.option(fc.tuple(keyText(['total', 'inputTokens']), leafText), { freq: 2 }),
    )
    .map(([input, output, extra]) => {
      const fields: [Json, Json][] = [];
      if (input !== null) fields.push(['"inputTokens"', input]);
      if (output !== null) fields.push(['"outputTokens"', output]);
      if (extra !== null) fields.push(extra);
      return object(fields);
    });
  const field = fc.oneof(
    fc.tuple(fc.constant('"model"'), fc.oneof(fc.string({ maxLength: 4 }).map(text), leafText)),
    fc.tuple(
      fc.constant('"usage"'),
      fc.oneof({ weight: 4, arbitrary: usageText }, { weight: 1, arbitrary: leafText }),
    ),
    fc.tuple(fc.constant('"usageEstimated"'), leafText),
    fc.tuple(fc.constant('"custom"'), jsonText),
    fc.tuple(fc.constant('"tags"'), fc.oneof(fc.array(leafText, { maxLength: 3 }).map(array), leafText)),
    fc.tuple(keyText(['extra']), jsonText),
  );
  const metaText = fc.oneof(
    { weight: 5, arbitrary: fc.array(field, { maxLength: 4 }).map(object) },
    { weight: 1, arbitrary: jsonText },
    { weight: 1, arbitrary: fc.constantFrom('', '{', 'null', '[]', '{"model":"m"} x') },
  );

  it('accepts and refuses exactly what entryMetaSchema does, and reads the same object', () => {
    fc.assert(
      fc.property(metaText, (stored) => {
        expect(decodeEntryMeta(stored)).toStrictEqual(reference(stored));
      }),
      { numRuns: 10_000 },
    );
  });

  it('accepts what the writer accepts (so the agreement above covers hits, not only refusals)', () => {
    const valid =
      '{"model":"m","usage":{"outputTokens":2,"inputTokens":1},"custom":{"a":[1,{"b":null}]},"tags":["x"]}';
    expect(decodeEntryMeta(valid)).toStrictEqual(reference(valid));
    expect(decodeEntryMeta(valid)).toBeDefined();
  });
});

describe('payloads are read as the schema-checked, copying reader read them (property)', () => {
  const envelope = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(fc.constantFrom('1', '2', '3', '"2"', '2.0'), jsonText).map(([version, data]) =>
        object([
          ['"v"', version],
          ['"data"', data],
        ]),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(keyText(['v', 'data', 'extra']), jsonText), { maxLength: 3 }).map(object),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('{"v":2}', '{"v":1}', '{"data":1}', '{"v":2,"data":null,"v":3}', '[2,"x"]'),
    },
    { weight: 1, arbitrary: jsonText },
  );

  it('gives the same value, or nothing, for every stored text', () => {
    fc.assert(
      fc.property(envelope, (stored) => {
        expect(decodePayload(stored)).toStrictEqual(referenceDecode(stored));
      }),
      { numRuns: 10_000 },
    );
  });

  it('reads well-formed values with tags and escaped keys (so the agreement covers hits)', () => {
    const stored =
      '{"v":2,"data":{"at":{"$deja:date":"1970-01-01T00:00:00.005Z"},"b":[{"$deja:bytes":"AQI="}],"$deja:$deja:x":1}}';
    expect(decodePayload(stored)).toStrictEqual(referenceDecode(stored));
    expect(decodePayload(stored)?.data).toStrictEqual({
      at: new Date(5),
      b: [new Uint8Array([1, 2])],
      '$deja:x': 1,
    });
  });
});

// The reader as it was before the hit path was trimmed: the reference for the property above.
const referenceEnvelope = z.object({ v: z.union([z.literal(2), z.literal(1)]), data: z.unknown() }).strict();

function referenceDecode(stored: string): { data: unknown } | undefined {
  const envelope = referenceEnvelope.safeParse(parseJsonSafely(stored));
  if (!envelope.success || envelope.data.data === undefined) return undefined;
  try {
    return { data: referenceUntag(envelope.data.data, envelope.data.v === 2, 0) };
  } catch {
    return undefined;
  }
}

function referenceUntag(value: unknown, escaped: boolean, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 256) throw new Error('nested too deep');
  if (Array.isArray(value)) return value.map((item) => referenceUntag(item, escaped, depth + 1));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record['$deja:date'] === 'string') {
    const date = new Date(record['$deja:date']);
    if (Number.isNaN(date.getTime())) throw new Error('bad date');
    return date;
  }
  if (keys.length === 1 && typeof record['$deja:bytes'] === 'string')
    return new Uint8Array(Buffer.from(record['$deja:bytes'], 'base64'));
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    let name = key;
    if (escaped && key.startsWith('$deja:')) {
      if (!key.startsWith('$deja:$deja:')) throw new Error('unescaped tag key');
      name = key.slice('$deja:'.length);
    }
    out[name] = referenceUntag(record[key], escaped, depth + 1);
  }
  return out;
}
