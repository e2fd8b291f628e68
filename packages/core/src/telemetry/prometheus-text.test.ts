// prometheusText against the text exposition format (0.0.4), read back by a strict parser written
// from the format's rules: HELP then TYPE before a family's samples, one contiguous block per
// family, metric and label names from their alphabets, quoted and escaped label values, numbers
// Prometheus reads, counters named *_total, no series twice. Then the figures: what deja counted.
import { afterEach, describe, expect, it } from 'vitest';
import { createDeja, type Deja } from '../deja.js';
import { memoryStore } from '../stores/memory-store.js';
import { prometheusText } from './prometheus-text.js';

interface ParsedFamily {
  type: string;
  help: string;
  samples: { labels: Record<string, string>; value: number }[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

/** Parses the text format; throws naming the line on anything Prometheus would refuse. */
function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  if (text === '') return new Map();
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, ParsedFamily>();
  const seen = new Set<string>();
  let current: string | undefined;
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    const fail = (why: string) => {
      throw new Error(`line ${index + 1} ${JSON.stringify(line)}: ${why}`);
    };
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help) {
      const [, name = '', doc = ''] = help;
      if (!METRIC_NAME.test(name)) fail('bad metric name');
      if (families.has(name)) fail('family repeated: its samples must be one block');
      if (/\\[^\\n]/.test(doc.replaceAll('\\\\', ''))) fail('bad escape in HELP');
      families.set(name, { type: '', help: doc, samples: [] });
      current = name;
      continue;
    }
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      const [, name = '', kind = ''] = type;
      if (name !== current) fail('TYPE must follow the HELP of its family');
      const family = families.get(name) as ParsedFamily;
      if (family.type || family.samples.length > 0) fail('TYPE must come once, before the samples');
      if (!TYPES.includes(kind)) fail(`unknown type ${kind}`);
      family.type = kind;
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') fail('unexpected comment or blank line');
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) fail('not a sample line');
    const [, name = '', labelText, valueText = ''] = sample as RegExpExecArray;
    if (name !== current) fail('sample outside its family block');
    const labels: Record<string, string> = {};
    let rest = labelText ?? '';
    while (rest.length > 0) {
      const label = /^([^=]+)="((?:[^"\\]|\\\\|\\"|\\n)*)"(,|$)/.exec(rest);
      if (!label) fail(`bad label syntax at ${JSON.stringify(rest)}`);
      const [whole = '', labelName = '', raw = ''] = label as RegExpExecArray;
      if (!LABEL_NAME.test(labelName) || labelName.startsWith('__')) fail(`bad label name ${labelName}`);
      if (labelName in labels) fail(`label ${labelName} twice`);
      labels[labelName] = raw.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
      rest = rest.slice(whole.length);
    }
    if (!/^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]Inf)$/.test(valueText))
      fail(`bad value ${valueText}`);
    const family = families.get(name) as ParsedFamily;
    if (!family.type) fail('sample before TYPE');
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(series)) fail('series repeated');
    seen.add(series);
    const value = valueText.endsWith('Inf')
      ? (valueText.startsWith('-') ? -1 : 1) * Infinity
      : Number(valueText);
    if (family.type === 'counter' && !(value >= 0)) fail('a counter is never negative');
    family.samples.push({ labels, value });
  }
  for (const [name, family] of families) {
    if (family.type === 'counter' && !name.endsWith('_total'))
      throw new Error(`counter ${name} must end in _total`);
  }
  return families;
}

const sampleValue = (
  families: Map<string, ParsedFamily>,
  name: string,
  labels: Record<string, string> = {},
) =>
  families.get(name)?.samples.find((sample) => JSON.stringify(sample.labels) === JSON.stringify(labels))
    ?.value;

const open: Deja[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((deja) => deja.close()));
});

describe('the parser refuses what Prometheus refuses (so the tests below can fail)', () => {
  it.each([
    ['a sample before TYPE', '# HELP a_total x\na_total 1\n'],
    ['a bad label value quote', '# HELP a_total x\n# TYPE a_total counter\na_total{t="x} 1\n'],
    ['an unescaped quote', '# HELP a_total x\n# TYPE a_total counter\na_total{t="a"b"} 1\n'],
    ['a counter without _total', '# HELP a x\n# TYPE a counter\na 1\n'],
    ['a repeated series', '# HELP a_total x\n# TYPE a_total counter\na_total 1\na_total 2\n'],
    ['a split family', '# HELP a_total x\n# TYPE a_total counter\n# HELP b y\n# TYPE b gauge\na_total 1\n'],
    ['no final newline', '# HELP a_total x\n# TYPE a_total counter\na_total 1'],
    ['a bad number', '# HELP a_total x\n# TYPE a_total counter\na_total 1,5\n'],
  ])('%s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});

describe('prometheusText', () => {
  it("serves deja.stats() and deja.health(): this process's counters per tenant, latency, breaker", async () => {
    const deja = createDeja({
      store: memoryStore(),
      writeBehind: false,
      prices: { m: { input: 1, output: 2 } },
    });
    open.push(deja);
    const acme = deja.tenant('acme').responses;
    await acme.store({ key: 'q1' }, 'a1', { model: 'm', usage: { inputTokens: 100, outputTokens: 50 } });
    await acme.find({ key: 'q1' });
    await acme.find({ key: 'q1' });
    await acme.find({ key: 'unknown' });
    await deja.tenant('tenant "with" a\\quote').responses.find({ key: 'q1' });

    const text = prometheusText({ stats: deja.stats(), health: await deja.health() });
    const families = parsePrometheusText(text);
    expect(sampleValue(families, 'deja_lookups_total', { tenant: 'acme', outcome: 'exact' })).toBe(2);
    expect(sampleValue(families, 'deja_lookups_total', { tenant: 'acme', outcome: 'semantic' })).toBe(0);
    expect(sampleValue(families, 'deja_lookups_total', { tenant: 'acme', outcome: 'miss' })).toBe(1);
    expect(
      sampleValue(families, 'deja_lookups_total', { tenant: 'tenant "with" a\\quote', outcome: 'miss' }),
    ).toBe(1);
    expect(sampleValue(families, 'deja_writes_total', { tenant: 'acme' })).toBe(1);
    expect(sampleValue(families, 'deja_tokens_saved_total', { tenant: 'acme' })).toBe(300);
    expect(sampleValue(families, 'deja_cost_saved_usd_total', { tenant: 'acme' })).toBeCloseTo(0.0004, 12);
    expect(sampleValue(families, 'deja_lookups_timed_total')).toBe(4);
    expect(
      families.get('deja_lookup_latency_seconds')?.samples.map((sample) => sample.labels.quantile),
    ).toEqual(['0.50', '0.90', '0.99']);
    expect(sampleValue(families, 'deja_breaker_state', { state: 'closed' })).toBe(1);
    expect(sampleValue(families, 'deja_breaker_state', { state: 'open' })).toBe(0);
    expect(sampleValue(families, 'deja_store_connected')).toBe(1);
    expect(families.get('deja_lookups_total')?.type).toBe('counter');
    expect(text).toContain(
      '# HELP deja_lookups_total Lookups by outcome: an exact hit, a semantic hit or a miss\n',
    );
  });

  it('stored counters (every process) replace the per-tenant ones of this process, never add to them', async () => {
    const deja = createDeja({ store: memoryStore(), writeBehind: false });
    open.push(deja);
    await deja.tenant('acme').responses.find({ key: 'q' });
    const digest = deja.tenant('acme').digest;
    const stored: Record<string, Record<string, number>> = {
      [digest]: { exactHits: 7, semanticHits: 3, misses: 10, writes: 10 },
      other: { misses: 1 },
    };
    const families = parsePrometheusText(
      prometheusText({ stats: deja.stats(), stored, tenantLabels: { [digest]: 'acme' }, entries: 12 }),
    );
    expect(sampleValue(families, 'deja_lookups_total', { tenant: 'acme', outcome: 'exact' })).toBe(7);
    expect(sampleValue(families, 'deja_lookups_total', { tenant: 'acme', outcome: 'miss' })).toBe(10);
    expect(sampleValue(families, 'deja_lookups_total', { tenant: 'other', outcome: 'miss' })).toBe(1);
    expect(sampleValue(families, 'deja_lookups_total', { tenant: 'other', outcome: 'exact' })).toBe(0);
    expect(sampleValue(families, 'deja_entries')).toBe(12);
    expect(families.get('deja_lookups_total')?.samples).toHaveLength(6);
  });

  it('nothing counted yet: still valid text (an empty exposition is valid)', () => {
    expect(prometheusText({})).toBe('');
    expect(parsePrometheusText(prometheusText({ stored: {} })).size).toBe(0);
  });
});
