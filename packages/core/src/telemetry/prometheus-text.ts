// prometheusText: deja's counters in the Prometheus text exposition format (version 0.0.4), for an
// app's /metrics endpoint (`prometheusText({ stats: deja.stats(), health: await deja.health() })`)
// and for `deja stats --prometheus` (the counters every process flushed to the store).
//
// Per-tenant counters come from ONE source: `stored` when given (every process, flushed every few
// seconds, tenants as digests), else `stats.byTenant` (this process, tenants by the label it was
// given). Never both: the stored counters already hold what this process flushed, so adding the
// two would count a lookup twice. Process-only figures (latency, verifier, semantic tier, errors,
// embedding cache) come from `stats`; the breaker and the connection from `health`.
import type { DejaHealth, DejaStats } from '../deja.js';

export interface MetricsSnapshot {
  /** `deja.stats()` of this process. */
  stats?: DejaStats;
  /** `deja.storedStats()`: counters by tenant digest, as every process flushed them. */
  stored?: Record<string, Record<string, number>>;
  /** Display names by tenant digest (e.g. the one tenant `deja stats --tenant` was given). */
  tenantLabels?: Record<string, string>;
  /** `deja.health()`: breaker state (of this process), connection, memory. */
  health?: Partial<Pick<DejaHealth, 'breaker' | 'connected' | 'memoryBytes'>>;
  /** Entries in the store (`deja.count()`), when known. */
  entries?: number;
}

type Sample = { labels?: Record<string, string>; value: number };
interface Family {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  samples: Sample[];
}

/** The per-tenant counters and their metric names (counter names end in _total, as the format asks). */
const TENANT_COUNTERS = [
  ['writes', 'deja_writes_total', 'Entries written'],
  ['droppedWrites', 'deja_dropped_writes_total', 'Cache writes dropped (too many pending behind the app)'],
  ['notCached', 'deja_not_cached_total', 'Answers not stored (too large, not cacheable)'],
  ['tokensSaved', 'deja_tokens_saved_total', 'Tokens the original calls spent, saved by hits'],
  ['costSaved', 'deja_cost_saved_usd_total', 'USD saved by hits (createDeja prices)'],
] as const;

export function prometheusText(snapshot: MetricsSnapshot): string {
  const families: Family[] = [];
  const family = (name: string, type: Family['type'], help: string, samples: Sample[]) => {
    if (samples.length > 0) families.push({ name, type, help, samples });
  };
  const tenants = tenantCounters(snapshot);
  family(
    'deja_lookups_total',
    'counter',
    'Lookups by outcome: an exact hit, a semantic hit or a miss',
    tenants.flatMap(([tenant, counters]) =>
      (
        [
          ['exact', counters.exactHits],
          ['semantic', counters.semanticHits],
          ['miss', counters.misses],
        ] as const
      ).map(([outcome, value]) => ({ labels: { tenant, outcome }, value: value ?? 0 })),
    ),
  );
  for (const [field, name, help] of TENANT_COUNTERS)
    family(
      name,
      'counter',
      help,
      tenants.map(([tenant, counters]) => ({ labels: { tenant }, value: counters[field] ?? 0 })),
    );

  const { stats, health } = snapshot;
  if (stats) {
    const total = (name: string, help: string, value: number) => family(name, 'counter', help, [{ value }]);
    total(
      'deja_errors_total',
      'Problems reported to onError in this process (the app saw a miss)',
      stats.errors,
    );
    family('deja_embedding_lookups_total', 'counter', 'Embedding cache lookups in this process', [
      { labels: { outcome: 'hit' }, value: stats.embeddingHits },
      { labels: { outcome: 'miss' }, value: stats.embeddingMisses },
    ]);
    family(
      'deja_lookup_latency_seconds',
      'gauge',
      'Lookup latency quantiles over the last 4096 lookups of this process',
      (['p50', 'p90', 'p99'] as const).map((quantile) => ({
        labels: { quantile: `0.${quantile.slice(1)}` },
        value: stats.lookupLatencyMs[quantile] / 1000,
      })),
    );
    total(
      'deja_lookups_timed_total',
      'Lookups whose latency was measured in this process',
      stats.lookupLatencyMs.count,
    );
    const verification = stats.verification;
    total('deja_verifications_total', 'Verifier calls in this process', verification.verifications);
    family(
      'deja_verifier_verdicts_total',
      'counter',
      "Verdicts; a failure counts as 'different' (fail closed)",
      [
        { labels: { verdict: 'same' }, value: verification.verified },
        { labels: { verdict: 'different' }, value: verification.rejected },
      ],
    );
    total(
      'deja_verifier_failures_total',
      'Verifier errors, time-outs and invalid verdicts',
      verification.failures,
    );
    total('deja_verifier_timeouts_total', 'Verifier calls past verifierTimeoutMs', verification.timeouts);
    total('deja_verifier_seconds_total', 'Time spent waiting for verdicts', verification.verifierMs / 1000);
    family('deja_verifier_tokens_total', 'counter', 'Tokens the verifier spent', [
      { labels: { direction: 'input' }, value: verification.inputTokens },
      { labels: { direction: 'output' }, value: verification.outputTokens },
    ]);
    const semantic = stats.semantic;
    total('deja_semantic_explored_total', 'Would-be unverified hits checked anyway', semantic.explored);
    total(
      'deja_semantic_blocked_total',
      "Candidates skipped on a cached 'different' verdict or a reported wrong hit",
      semantic.blockedByMark,
    );
    total(
      'deja_semantic_served_on_verdict_total',
      "Semantic hits served on a cached 'same' verdict",
      semantic.servedOnVerdict,
    );
    total(
      'deja_semantic_reported_wrong_total',
      'Wrong hits reported through reportWrongHit',
      semantic.reportedWrong,
    );
  }
  if (health?.breaker !== undefined) {
    const { breaker } = health;
    family(
      'deja_breaker_state',
      'gauge',
      'Circuit breaker state around the store in this process: 1 for the current state',
      (['closed', 'half-open', 'open'] as const).map((state) => ({
        labels: { state },
        value: breaker === state ? 1 : 0,
      })),
    );
  }
  if (health?.connected !== undefined)
    family('deja_store_connected', 'gauge', '1 when the store answers', [
      { value: health.connected ? 1 : 0 },
    ]);
  if (health?.memoryBytes !== undefined)
    family('deja_redis_memory_bytes', 'gauge', 'Memory Redis reports in use', [
      { value: health.memoryBytes },
    ]);
  if (snapshot.entries !== undefined)
    family('deja_entries', 'gauge', 'Entries in the store', [{ value: snapshot.entries }]);
  return families.map(render).join('');
}

/** [tenant label, counters] from one source: the store's counters, else this process's. */
function tenantCounters(snapshot: MetricsSnapshot): [string, Record<string, number>][] {
  if (snapshot.stored) {
    const labels = snapshot.tenantLabels ?? {};
    return Object.entries(snapshot.stored).map(([digest, counters]) => [labels[digest] ?? digest, counters]);
  }
  return Object.entries(snapshot.stats?.byTenant ?? {}).map(([label, counters]) => [
    label,
    Object.fromEntries(Object.entries(counters)),
  ]);
}

function render(family: Family): string {
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`];
  for (const sample of family.samples) {
    const labels = Object.entries(sample.labels ?? {});
    const labelText =
      labels.length === 0
        ? ''
        : `{${labels.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
    lines.push(`${family.name}${labelText} ${formatValue(sample.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** HELP text escapes backslash and newline; label values also escape the double quote. */
const escapeHelp = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
const escapeLabel = (text: string) => escapeHelp(text).replaceAll('"', '\\"');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
