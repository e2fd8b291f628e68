// No lost answers (issue 13, finding 3), through the public API on a memoryStore: whatever
// happens after `compute`, `wrap` returns the computed value; what would make an entry unreadable
// is refused at write time with a DejaInputError (reported as not-cached), never stored only to
// be read back as corrupt; values shaped like the payload's own tags come back exactly.
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createDeja,
  type DejaErrorEvent,
  DejaInputError,
  memoryStore,
  type WrapOptions,
} from '../src/index.ts';

const request = (text: string) => ({ key: { model: 'model-a', text } });
/** Writes may land behind the answer: wait for them rather than for a fixed time. */
const soon = { timeout: 5_000, interval: 10 };

function setup() {
  const errors: DejaErrorEvent[] = [];
  const deja = createDeja({ store: memoryStore(), onError: (event) => errors.push(event) });
  onTestFinished(() => deja.close());
  return { tenant: deja.tenant('acme'), errors };
}

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = { next: value };
  return value;
}

const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;

type Case = [name: string, value: unknown, options: WrapOptions<unknown>];

/** Each would have been stored and then found corrupt, or thrown out of wrap after compute. */
const REFUSED: Case[] = [
  ['a value nested 10,000 deep', nested(10_000), {}],
  ['undefined as the whole value', undefined, {}],
  ['custom metadata holding a BigInt', 'answer', { custom: { tokens: 5n } }],
  ['custom metadata holding a cycle', 'answer', { custom: { loop: cyclic } }],
  ['custom metadata with a constructor key', 'answer', { custom: { constructor: 'x' } }],
  ['custom metadata with a prototype key', 'answer', { custom: { nested: { prototype: 1 } } }],
  [
    'usage of -1 from describe()',
    'answer',
    { describe: () => ({ usage: { inputTokens: -1, outputTokens: 3 } }) },
  ],
  ['a non-string model from describe()', 'answer', { describe: () => ({ model: 42 as unknown as string }) }],
];

describe('wrap never loses the computed answer', () => {
  it.each(REFUSED)(
    '%s: returns the value, reports not-cached with a DejaInputError, stores nothing',
    async (name, value, options) => {
      const { tenant, errors } = setup();
      let computes = 0;
      const compute = async () => {
        computes++;
        return value;
      };
      const result = await tenant.responses.wrap(request(name), compute, options);
      expect(result.hit).toBe('miss');
      expect(result.value).toBe(value);
      await expect.poll(() => errors.filter((event) => event.kind === 'not-cached').length, soon).toBe(1);
      expect(errors.find((event) => event.kind === 'not-cached')?.error).toBeInstanceOf(DejaInputError);
      expect(await tenant.responses.lookup(request(name))).toBeUndefined();
      expect(errors.filter((event) => event.kind === 'corrupt-entry')).toEqual([]);
      expect(computes).toBe(1);
    },
  );

  it('returns the value when describe() throws', async () => {
    const { tenant } = setup();
    const result = await tenant.responses.wrap(request('describe throws'), async () => 'answer', {
      describe: () => {
        throw new TypeError('describe is broken');
      },
    });
    expect(result).toMatchObject({ hit: 'miss', value: 'answer' });
  });

  it('returns the value when shouldCache() throws', async () => {
    const { tenant } = setup();
    const result = await tenant.responses.wrap(request('shouldCache throws'), async () => 'answer', {
      shouldCache: () => {
        throw new RangeError('shouldCache is broken');
      },
    });
    expect(result).toMatchObject({ hit: 'miss', value: 'answer' });
  });

  it('refuses a key nested 10,000 deep with a DejaInputError before the model runs', async () => {
    const { tenant } = setup();
    let computes = 0;
    const wrapped = tenant.responses.wrap({ key: nested(10_000) }, async () => ++computes);
    await expect(wrapped).rejects.toBeInstanceOf(DejaInputError);
    expect(computes).toBe(0);
  });
});

describe('values shaped like the payload tags', () => {
  it.each([
    ['a date tag look-alike', { '$deja:date': '2026-01-02T03:04:05.000Z' }],
    ['a bytes tag look-alike', { '$deja:bytes': 'AQID' }],
    [
      'tag look-alikes beside real Dates and bytes',
      { at: new Date(5), raw: new Uint8Array([1]), '$deja:date': 1 },
    ],
  ])('%s is served back exactly, and computed once', async (name, value) => {
    const { tenant, errors } = setup();
    let computes = 0;
    const compute = async () => {
      computes++;
      return value;
    };
    expect((await tenant.responses.wrap(request(name), compute)).value).toStrictEqual(value);
    await expect
      .poll(async () => (await tenant.responses.lookup(request(name)))?.value, soon)
      .toStrictEqual(value);
    const again = await tenant.responses.wrap(request(name), compute);
    expect(again).toMatchObject({ hit: 'exact' });
    expect(again.value).toStrictEqual(value);
    expect(computes).toBe(1);
    expect(errors).toEqual([]);
  });
});
