// A hit checks the cached value's shape by hand (stored-shape.ts). These properties hold the checks
// to the zod schemas they replaced (kept below as the reference), on values made of what deja's
// payload reader can give back (objects, arrays, strings, numbers, booleans, null, Dates, bytes),
// mostly well-formed with one field off, so that both verdicts come up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { storedFilesValid } from './stored-file.js';
import { isStoredGeneration } from './stored-generation.js';
import { isStoredStream } from './stored-stream.js';

const referenceGeneration = z.object({
  content: z.array(z.looseObject({ type: z.string() })),
  finishReason: z.looseObject({ unified: z.string() }),
  usage: z.looseObject({ inputTokens: z.looseObject({}), outputTokens: z.looseObject({}) }),
  warnings: z.array(z.looseObject({ type: z.string() })),
  providerMetadata: z.record(z.string(), z.looseObject({})).optional(),
  structuredOutputText: z.string().optional(),
  response: z
    .object({ id: z.string().optional(), timestamp: z.date().optional(), modelId: z.string().optional() })
    .optional(),
});

const referenceStream = z.object({
  parts: z
    .array(z.looseObject({ type: z.string() }))
    .refine((parts) => parts.some((part) => part.type === 'finish')),
});

function referenceIsGeneration(value: unknown): boolean {
  const parsed = referenceGeneration.safeParse(value);
  return parsed.success && storedFilesValid(parsed.data.content);
}

function referenceIsStream(value: unknown): boolean {
  const parsed = referenceStream.safeParse(value);
  if (!parsed.success || !storedFilesValid(parsed.data.parts)) return false;
  const finish = parsed.data.parts.findLast((part) => part.type === 'finish');
  return typeof finish?.usage === 'object' && finish.usage !== null;
}

const NAMES = ['type', 'unified', 'data', 'href', 'usage', 'id', 'timestamp', 'text', '__proto__', 'x'];

/** Any value the payload reader can return. */
const stored = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('text', 'file', 'finish', 'url', 'data', 'stop', 'https://a.example/', 'not a url', ''),
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)),
    fc.constantFrom(new Date(0), new Date(Number.NaN), new Uint8Array([1])),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...NAMES), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** `good` most of the time, anything now and then (so one field at a time goes wrong). */
const mostly = (good: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: stored });
const absentOr = (good: fc.Arbitrary<unknown>) => fc.oneof(fc.constant(undefined), mostly(good));

const filePart = fc.record({
  type: fc.constantFrom('file', 'reasoning-file'),
  mediaType: fc.constant('image/png'),
  data: fc.oneof(
    fc.constant('AQID'),
    fc.constant(new Uint8Array([1])),
    fc.record({ type: fc.constant('url'), href: fc.constantFrom('https://a.example/x.png', 'not a url') }),
    fc.record({ type: fc.constant('data'), data: mostly(fc.constant('AQID')) }),
    stored,
  ),
});
const part = mostly(
  fc.oneof(
    fc.record({ type: fc.constantFrom('text', 'text-delta'), text: fc.string({ maxLength: 3 }) }),
    filePart,
    fc.record({ type: fc.constant('finish'), usage: mostly(fc.record({ inputTokens: fc.constant({}) })) }),
  ),
);
const parts = mostly(fc.array(part, { maxLength: 4 }));

const generation = fc.record(
  {
    content: parts,
    finishReason: mostly(fc.record({ unified: fc.constantFrom('stop', 'length'), raw: stored })),
    usage: mostly(
      fc.record({ inputTokens: mostly(fc.constant({ total: 1 })), outputTokens: mostly(fc.constant({})) }),
    ),
    warnings: mostly(fc.array(mostly(fc.record({ type: fc.constant('other') })), { maxLength: 2 })),
    providerMetadata: absentOr(
      fc.dictionary(fc.constantFrom('openai', '__proto__', 'x'), mostly(fc.constant({ a: 1 }))),
    ),
    structuredOutputText: absentOr(fc.constant('{}')),
    response: absentOr(
      fc.record(
        {
          id: absentOr(fc.constant('r')),
          timestamp: absentOr(fc.constant(new Date(5))),
          modelId: absentOr(fc.constant('m')),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['content', 'finishReason', 'usage', 'warnings'] },
);

describe('the hand checks of a replay give the zod verdicts (property)', () => {
  it('isStoredGeneration', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof({ weight: 8, arbitrary: generation }, { weight: 1, arbitrary: stored }),
        (value) => {
          const verdict = isStoredGeneration(value);
          expect(verdict).toBe(referenceIsGeneration(value));
          if (verdict) accepted++;
        },
      ),
      { numRuns: 10_000 },
    );
    // Both verdicts came up often enough for the agreement to mean something.
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(9_500);
  });

  it('isStoredStream', () => {
    let accepted = 0;
    const stream = fc.oneof({ weight: 8, arbitrary: fc.record({ parts }) }, { weight: 1, arbitrary: stored });
    fc.assert(
      fc.property(stream, (value) => {
        const verdict = isStoredStream(value);
        expect(verdict).toBe(referenceIsStream(value));
        if (verdict) accepted++;
      }),
      { numRuns: 10_000 },
    );
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(9_500);
  });
});
