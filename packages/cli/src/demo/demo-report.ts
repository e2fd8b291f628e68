// What `deja demo` prints around the calls: the set-up, one line per call (grouped by tenant and
// model), the outcome, and deja.stats() as a table. Everything fits the width it is given
// (terminal-width.ts): at 80 columns the least needed columns go, the story stays.
import type { Deja } from '@deja/core';
import {
  formatDuration,
  formatInteger,
  formatPercent,
  formatShare,
  formatUsd,
  NOTHING,
} from '../format/numbers.js';
import type { Style } from '../format/style.js';
import { type Column, pad, renderTable } from '../format/table.js';
import { wrapText } from '../format/terminal-width.js';
import type { DemoCall } from './run-demo.js';
import { DEMO_MIN_SIMILARITY, DEMO_MODELS, DEMO_PRICES, DEMO_STEPS, DEMO_WHY_LEGEND } from './script.js';

const FIELD = '            ';

export function intro(storeLabel: string, embedderId: string, style: Style, width: number): string {
  const price = (model: string) => {
    const entry = DEMO_PRICES[model] as { input: number; output: number };
    return `${model} $${entry.input.toFixed(2)} in / $${entry.output.toFixed(2)} out`;
  };
  const field = (name: string, text: string) => wrapText(text, width, `  ${name.padEnd(10)}`, FIELD);
  return [
    style.bold(
      wrapText(
        'deja demo: a support chatbot for two tenants, answered by a mock LLM (400-900 ms a call)',
        width,
      ),
    ),
    field('store', storeLabel),
    field(
      'embedder',
      `${embedderId}: LEXICAL (character trigrams), so close rewordings match and meaning does not; ` +
        'apps plug in a real embedding model through @deja/ai-sdk or @deja/langchain',
    ),
    field(
      'match',
      `entries from similarity ${DEMO_MIN_SIMILARITY.toFixed(2)} are candidates, only within the same tenant, ` +
        "model and system prompt; a judge (deja's verifier, here a mock of a small model) confirms a " +
        'candidate before it is served (✓) or turns it down (✗)',
    ),
    field(
      'prices',
      `EXAMPLE prices per 1M tokens, for illustration only: ${price(DEMO_MODELS.small)}; ${price(DEMO_MODELS.large)}`,
    ),
  ].join('\n');
}

interface LayoutColumn {
  header: string;
  width: number;
  align: 'left' | 'right';
  /** Columns with a priority are left out, lowest first, when the line would not fit. */
  priority?: number;
  cell(call: DemoCall, style: Style): string;
}

const SEPARATOR = '  ';

function similarityCell(call: DemoCall): string {
  const value = call.hit === 'miss' ? call.nearest : call.similarity;
  if (value === undefined) return NOTHING;
  const mark = call.verdict === 'same' ? ' ✓' : call.verdict === 'different' ? ' ✗' : '';
  return `${value.toFixed(3)}${mark}`;
}

function allColumns(): LayoutColumn[] {
  const questionWidth = Math.max(...DEMO_STEPS.map((step) => step.question.length));
  const whyWidth = Math.max(...DEMO_STEPS.map((step) => step.why.length));
  return [
    { header: '#', width: 2, align: 'right', cell: (call) => String(call.index) },
    { header: 'question', width: questionWidth, align: 'left', cell: (call) => call.step.question },
    {
      header: 'result',
      width: 8,
      align: 'left',
      cell: (call, style) =>
        call.hit === 'miss' ? style.yellow('miss') : style.green(call.hit.toUpperCase()),
    },
    { header: 'similarity', width: 10, align: 'left', priority: 3, cell: similarityCell },
    { header: 'time', width: 7, align: 'right', priority: 4, cell: (call) => formatDuration(call.elapsedMs) },
    {
      header: 'tokens',
      width: 6,
      align: 'right',
      priority: 1,
      cell: (call) => (call.hit === 'miss' ? NOTHING : formatInteger(call.tokensSaved)),
    },
    {
      header: '$ saved',
      width: 7,
      align: 'right',
      priority: 2,
      cell: (call) => (call.hit === 'miss' ? NOTHING : formatUsd(call.costSaved)),
    },
    { header: 'why', width: whyWidth, align: 'left', cell: (call, style) => style.dim(call.step.why) },
  ];
}

const lineWidth = (columns: LayoutColumn[]) =>
  columns.reduce((sum, column) => sum + column.width, 0) + SEPARATOR.length * (columns.length - 1);

/** The columns that fit `width`: optional ones dropped lowest priority first, then the question cut. */
export function fitColumns(width: number): LayoutColumn[] {
  let columns = allColumns();
  const optional = columns.filter((column) => column.priority !== undefined);
  optional.sort((a, b) => (a.priority as number) - (b.priority as number));
  for (const drop of optional) {
    if (lineWidth(columns) <= width) break;
    columns = columns.filter((column) => column !== drop);
  }
  const over = lineWidth(columns) - width;
  if (over > 0) {
    const question = columns[1] as LayoutColumn;
    columns[1] = { ...question, width: Math.max(12, question.width - over) };
  }
  return columns;
}

export function callLayout(width: number) {
  const columns = fitColumns(width);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const column = columns[i] as LayoutColumn;
        const text =
          column.header === 'question' && cell.length > column.width
            ? `${cell.slice(0, column.width - 1)}…`
            : cell;
        return pad(text, column.width, column.align);
      })
      .join(SEPARATOR)
      .trimEnd();
  let group: string | undefined;
  return {
    header: line(columns.map((column) => column.header)),
    rule: line(columns.map((column) => '-'.repeat(Math.max(column.width, column.header.length)))),
    /** The call's line, after a "tenant acme, model mock-mini" line when those change. */
    row(call: DemoCall, style: Style): string {
      const name = `tenant ${call.step.tenant}, model ${call.step.model}`;
      const heading = name === group ? '' : `${style.bold(name)}\n`;
      group = name;
      return heading + line(columns.map((column) => column.cell(call, style)));
    },
  };
}

export function legend(width: number, style: Style): string {
  const lines = [
    ...DEMO_WHY_LEGEND,
    '✓ / ✗: the judge confirmed / turned down the nearest entry (deja serves no hit on similarity alone until it has evidence)',
  ];
  return lines.map((text) => style.dim(wrapText(text, width, '    ', '      '))).join('\n');
}

export function outcome(
  calls: DemoCall[],
  style: Style,
  width: number,
  judge?: { calls: number; ms: number },
): string {
  const hits = calls.filter((call) => call.hit !== 'miss');
  const withDeja = calls.reduce((sum, call) => sum + call.elapsedMs, 0);
  const withoutDeja = calls.reduce((sum, call) => sum + call.modelLatencyMs, 0);
  const spent = calls.reduce((sum, call) => sum + call.costSpent, 0);
  const saved = hits.reduce((sum, call) => sum + call.costSaved, 0);
  const tokens = hits.reduce((sum, call) => sum + call.tokensSaved, 0);
  const field = (name: string, text: string) => wrapText(text, width, `  ${name.padEnd(10)}`, FIELD);
  return [
    style.bold(
      wrapText(
        `${hits.length} of ${calls.length} calls answered from cache (${formatShare(hits.length, calls.length)}): ` +
          `${calls.length - hits.length} model calls instead of ${calls.length}.`,
        width,
      ),
    ),
    field(
      'waiting',
      `${formatDuration(withDeja)} with deja, ${formatDuration(withoutDeja)} without ` +
        '(a hit takes milliseconds, a verified one a judge call, a model call 400-900 ms)',
    ),
    field('tokens', `${formatInteger(tokens)} not sent to the model`),
    field(
      'cost',
      `${formatUsd(spent)} with deja (the judge included), ${formatUsd(spent + saved)} without, ` +
        `at the EXAMPLE prices (${formatPercent(saved / (spent + saved))} saved)`,
    ),
    ...(judge
      ? [field('judge', `${formatInteger(judge.calls)} verdicts, ${formatDuration(judge.ms)} in all`)]
      : []),
  ].join('\n');
}

export function statsTable(deja: Deja): string {
  const stats = deja.stats();
  const columns: Column[] = [
    { header: 'deja.stats()' },
    { header: 'exact', align: 'right' },
    { header: 'semantic', align: 'right' },
    { header: 'misses', align: 'right' },
    { header: 'hit rate', align: 'right' },
    { header: 'tokens saved', align: 'right' },
    { header: 'cost saved', align: 'right' },
  ];
  const row = (
    name: string,
    counters: {
      exactHits: number;
      semanticHits: number;
      misses: number;
      tokensSaved: number;
      costSaved: number;
    },
  ) => {
    const hits = counters.exactHits + counters.semanticHits;
    return [
      name,
      formatInteger(counters.exactHits),
      formatInteger(counters.semanticHits),
      formatInteger(counters.misses),
      formatShare(hits, hits + counters.misses),
      formatInteger(counters.tokensSaved),
      formatUsd(counters.costSaved),
    ];
  };
  const rows = Object.entries(stats.byTenant).map(([tenant, counters]) => row(`tenant ${tenant}`, counters));
  rows.push(row('all', stats));
  const latency = stats.lookupLatencyMs;
  return `${renderTable(columns, rows)}\ncache lookups: p50 ${formatDuration(latency.p50)}, p90 ${formatDuration(latency.p90)} over ${latency.count} lookups`;
}

export function footer(width: number, redis?: { prefix: string; indexName: string }): string {
  const lines = [
    'Next: cache your own calls with @deja/ai-sdk (dejaMiddleware) or @deja/langchain (DejaCache); ' +
      'pick minSimilarity for your embedding model with `deja tune --pairs FILE`; ' +
      'try `deja warm` and `deja search` on a sample database that `deja demo --sqlite demo.db` writes.',
  ];
  if (redis)
    lines.push(
      `The demo keeps to its own prefix ${redis.prefix} and index ${redis.indexName} on this Redis; to see its ` +
        `counters: DEJA_KEY_PREFIX=${redis.prefix} DEJA_INDEX_NAME=${redis.indexName} deja stats ` +
        '(plain `deja stats` reads your cache, prefix cache: unless DEJA_KEY_PREFIX says otherwise).',
    );
  return lines.map((text) => wrapText(text, width)).join('\n\n');
}
