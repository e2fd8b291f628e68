// Writes the per-tenant counter deltas (stats.ts) to the store in the background, without ever
// crowding out lookups: 20 000 active tenants must not mean 20 000 writes sent at once. Rules:
// - at most `ownersPerTick` tenants are written per tick; the others stay pending for the next one;
// - tenants go out in chunks of `chunkSize`, each chunk one guarded operation whose writes pipeline
//   on the connection; at most `concurrency` chunks are out at once, a small share of the guard's
//   maxInFlight, so lookups always find a slot (and a chunk waits its turn behind them);
// - a tick that comes while the previous flush still runs is skipped (backpressure: a slow Redis
//   slows the flush down instead of piling flushes up).
import type { Stats, TierCounters } from './stats.js';

export interface StatsFlushOptions {
  stats: Stats;
  /** Adds some tenants' deltas in the store, as one guarded operation (never throws for store trouble). */
  write(chunk: { owner: string; counters: Record<string, number> }[]): Promise<unknown>;
  /** Tenants written per tick. Default 2 000. */
  ownersPerTick?: number;
  /** Tenants per chunk (one operation). Default 100. */
  chunkSize?: number;
  /** Chunks out at once. Default 2. */
  concurrency?: number;
}

export class StatsFlusher {
  private running: Promise<void> | undefined;
  private readonly ownersPerTick: number;
  private readonly chunkSize: number;
  private readonly concurrency: number;

  constructor(private readonly options: StatsFlushOptions) {
    this.ownersPerTick = options.ownersPerTick ?? 2_000;
    this.chunkSize = options.chunkSize ?? 100;
    this.concurrency = options.concurrency ?? 2;
  }

  /** One periodic flush; nothing when the previous one still runs. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    const run = this.write(this.options.stats.takePending(this.ownersPerTick));
    this.running = run.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Writes everything pending, tick after tick (on close). */
  async drain(): Promise<void> {
    if (this.running) await this.running;
    while (this.options.stats.pendingTenants > 0) await this.tick();
  }

  private async write(batch: Map<string, Partial<TierCounters>>): Promise<void> {
    const items = [...batch].map(([owner, counters]) => ({
      owner,
      counters: counters as Record<string, number>,
    }));
    const chunks: (typeof items)[] = [];
    for (let start = 0; start < items.length; start += this.chunkSize)
      chunks.push(items.slice(start, start + this.chunkSize));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++] as typeof items;
        try {
          await this.options.write(chunk);
        } catch {
          // Only a strict deja throws here, and the guard has reported it: a background write has
          // no caller to throw to, and one chunk's failure must not stop the others'.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, chunks.length) }, worker));
  }
}
