// In-process counters and latency percentiles, plus per-tenant deltas that Deja flushes to the
// store now and then (so `deja stats` sees what every process did) without a write per lookup.
export interface PriceTable {
  /** USD per million tokens, by model id. */
  [modelId: string]: { input: number; output: number };
}

export interface TierCounters {
  exactHits: number;
  semanticHits: number;
  misses: number;
  embeddingHits: number;
  embeddingMisses: number;
  writes: number;
  droppedWrites: number;
  notCached: number;
  /** Events reported to onError (store trouble, corrupt entries, embedder failures); counted across tenants, in process. */
  errors: number;
  tokensSaved: number;
  costSaved: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface StatsSnapshot extends TierCounters {
  hitRate: number;
  lookupLatencyMs: LatencySummary;
  byTenant: Record<string, TierCounters>;
}

const emptyCounters = (): TierCounters => ({
  exactHits: 0,
  semanticHits: 0,
  misses: 0,
  embeddingHits: 0,
  embeddingMisses: 0,
  writes: 0,
  droppedWrites: 0,
  notCached: 0,
  errors: 0,
  tokensSaved: 0,
  costSaved: 0,
});

const LATENCY_WINDOW = 4096;
/** Tenants tracked by name in-process; the rest are summed under OTHER_TENANTS (memory stays bounded). */
const MAX_NAMED_TENANTS = 1_000;
export const OTHER_TENANTS = '(other tenants)';

/** Who counters belong to: a display label in-process, the digest in the store. */
export interface TenantRef {
  label: string;
  digest: string;
}

export class Stats {
  private readonly total = emptyCounters();
  private readonly tenants = new Map<string, TierCounters>();
  private pending = new Map<string, Partial<TierCounters>>();
  private readonly latencies = new Float64Array(LATENCY_WINDOW);
  private latencyCount = 0;

  constructor(private readonly prices: PriceTable = {}) {}

  add(tenant: TenantRef | undefined, counters: Partial<TierCounters>): void {
    for (const [name, value] of Object.entries(counters) as [keyof TierCounters, number][]) {
      this.total[name] += value;
      if (tenant === undefined) continue;
      const label =
        this.tenants.has(tenant.label) || this.tenants.size < MAX_NAMED_TENANTS
          ? tenant.label
          : OTHER_TENANTS;
      const perTenant = this.tenants.get(label) ?? emptyCounters();
      this.tenants.set(label, perTenant);
      perTenant[name] += value;
      const delta = this.pending.get(tenant.digest) ?? {};
      this.pending.set(tenant.digest, delta);
      delta[name] = (delta[name] ?? 0) + value;
    }
  }

  embeddings(hits: number, misses: number): void {
    this.add(undefined, { embeddingHits: hits, embeddingMisses: misses });
  }

  /** Records a hit's savings from the original call's usage and model. */
  saved(tenant: TenantRef, usage: { inputTokens?: number; outputTokens?: number }, model?: string): void {
    const input = usage.inputTokens ?? 0;
    const output = usage.outputTokens ?? 0;
    const price = model === undefined ? undefined : this.prices[model];
    const cost = price ? (input * price.input + output * price.output) / 1_000_000 : 0;
    this.add(tenant, { tokensSaved: input + output, costSaved: cost });
  }

  lookupLatency(ms: number): void {
    this.latencies[this.latencyCount % LATENCY_WINDOW] = ms;
    this.latencyCount++;
  }

  /**
   * Deltas since the last call, per tenant digest, for at most `limit` tenants (the oldest first);
   * the others stay pending for the next call. Deja writes them to the store.
   */
  takePending(limit = Number.POSITIVE_INFINITY): Map<string, Partial<TierCounters>> {
    if (this.pending.size <= limit) {
      const pending = this.pending;
      this.pending = new Map();
      return pending;
    }
    const taken = new Map<string, Partial<TierCounters>>();
    for (const [owner, delta] of this.pending) {
      if (taken.size >= limit) break;
      taken.set(owner, delta);
    }
    for (const owner of taken.keys()) this.pending.delete(owner);
    return taken;
  }

  /** Tenants with deltas not written yet. */
  get pendingTenants(): number {
    return this.pending.size;
  }

  snapshot(): StatsSnapshot {
    const lookups = this.total.exactHits + this.total.semanticHits + this.total.misses;
    return {
      ...this.total,
      hitRate: lookups === 0 ? 0 : (this.total.exactHits + this.total.semanticHits) / lookups,
      lookupLatencyMs: this.latencySummary(),
      byTenant: Object.fromEntries([...this.tenants].map(([tenant, counters]) => [tenant, { ...counters }])),
    };
  }

  private latencySummary(): LatencySummary {
    const count = Math.min(this.latencyCount, LATENCY_WINDOW);
    const sorted = Array.from(this.latencies.subarray(0, count)).sort((a, b) => a - b);
    const at = (q: number) =>
      count === 0 ? 0 : (sorted[Math.min(count - 1, Math.floor(q * count))] as number);
    return { count: this.latencyCount, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
  }
}
