// What `deja demo` prints around the calls: the set-up, one line per call, the outcome, and
// deja.stats() as a table.
import type { Deja } from '@deja/core';
import { formatDuration, formatInteger, formatPercent, formatUsd } from '../format/numbers.js';
import type { Style } from '../format/style.js';
import { type Column, pad, renderTable } from '../format/table.js';
import type { DemoCall } from './run-demo.js';
import { DEMO_MIN_SIMILARITY, DEMO_MODELS, DEMO_PRICES, DEMO_STEPS } from './script.js';

export function intro(storeLabel: string, embedderId: string, style: Style): string {
  const price = (model: string) => {
    const entry = DEMO_PRICES[model] as { input: number; output: number };
    return `${model} $${entry.input.toFixed(2)} in / $${entry.output.toFixed(2)} out`;
  };
  return [
    style.bold('deja demo: a support chatbot for two tenants, answered by a mock LLM (400-900 ms a call)'),
    `  store     ${storeLabel}`,
    `  embedder  ${embedderId}: LEXICAL (hashed character trigrams), so close rewordings match, meaning does not;`,
    '            apps plug in a real embedding model through @deja/ai-sdk or @deja/langchain',
    `  match     minSimilarity ${DEMO_MIN_SIMILARITY.toFixed(2)}, and only within the same tenant, model and system prompt`,
    `  prices    EXAMPLE prices per 1M tokens, for illustration only:`,
    `            ${price(DEMO_MODELS.small)}; ${price(DEMO_MODELS.large)}`,
  ].join('\n');
}

export function callLayout() {
  const questionWidth = Math.max(...DEMO_STEPS.map((step) => step.question.length));
  const columns: [string, number, 'left' | 'right'][] = [
    ['#', 2, 'right'],
    ['tenant', 6, 'left'],
    ['model', 9, 'left'],
    ['question', questionWidth, 'left'],
    ['result', 8, 'left'],
    ['similarity', 12, 'left'],
    ['time', 7, 'right'],
    ['tokens', 6, 'right'],
    ['$ saved', 8, 'right'],
    ['why', 0, 'left'],
  ];
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        pad(
          cell,
          (columns[i] as [string, number, 'left' | 'right'])[1],
          (columns[i] as [string, number, 'left' | 'right'])[2],
        ),
      )
      .join('  ')
      .trimEnd();
  return {
    header: line(columns.map(([name]) => name)),
    rule: line(columns.map(([name, width]) => '-'.repeat(Math.max(width, name.length)))),
    row(call: DemoCall, style: Style): string {
      const hit = call.hit !== 'miss';
      const result = call.hit === 'miss' ? style.yellow('miss') : style.green(call.hit.toUpperCase());
      const similarity = hit
        ? (call.similarity as number).toFixed(3)
        : call.nearest === undefined
          ? '-'
          : `${call.nearest.toFixed(3)} < ${DEMO_MIN_SIMILARITY.toFixed(2)}`;
      return line([
        String(call.index),
        call.step.tenant,
        call.step.model,
        call.step.question,
        result,
        similarity,
        formatDuration(call.elapsedMs),
        hit ? formatInteger(call.tokensSaved) : '-',
        hit ? formatUsd(call.costSaved) : '-',
        style.dim(call.step.why),
      ]);
    },
  };
}

export function outcome(calls: DemoCall[], style: Style): string {
  const hits = calls.filter((call) => call.hit !== 'miss');
  const withDeja = calls.reduce((sum, call) => sum + call.elapsedMs, 0);
  const withoutDeja = calls.reduce((sum, call) => sum + call.modelLatencyMs, 0);
  const spent = calls.reduce((sum, call) => sum + call.costSpent, 0);
  const saved = hits.reduce((sum, call) => sum + call.costSaved, 0);
  const tokens = hits.reduce((sum, call) => sum + call.tokensSaved, 0);
  return [
    style.bold(
      `${hits.length} of ${calls.length} calls answered from cache (${formatPercent(hits.length / calls.length, 0)}): ` +
        `${calls.length - hits.length} model calls instead of ${calls.length}.`,
    ),
    `  waiting   ${formatDuration(withDeja)} with deja, ${formatDuration(withoutDeja)} without (a hit takes milliseconds, a model call 400-900 ms)`,
    `  tokens    ${formatInteger(tokens)} not sent to the model`,
    `  cost      ${formatUsd(spent)} with deja, ${formatUsd(spent + saved)} without, at the EXAMPLE prices (${formatPercent(saved / (spent + saved), 0)} saved)`,
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
    const lookups = counters.exactHits + counters.semanticHits + counters.misses;
    return [
      name,
      formatInteger(counters.exactHits),
      formatInteger(counters.semanticHits),
      formatInteger(counters.misses),
      formatPercent(lookups === 0 ? 0 : (counters.exactHits + counters.semanticHits) / lookups, 0),
      formatInteger(counters.tokensSaved),
      formatUsd(counters.costSaved),
    ];
  };
  const rows = Object.entries(stats.byTenant).map(([tenant, counters]) => row(`tenant ${tenant}`, counters));
  rows.push(row('all', stats));
  const latency = stats.lookupLatencyMs;
  return `${renderTable(columns, rows)}\ncache lookups: p50 ${formatDuration(latency.p50)}, p90 ${formatDuration(latency.p90)} over ${latency.count} lookups`;
}

export function footer(): string {
  return [
    'Next: cache your own calls with @deja/ai-sdk (dejaMiddleware) or @deja/langchain (DejaCache);',
    'pick minSimilarity for your embedding model with `deja tune --pairs FILE`;',
    'warm a cache from SQLite with `deja warm` (needs Redis: DEJA_REDIS_URL).',
  ].join('\n');
}
