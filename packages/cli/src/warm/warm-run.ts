// The loop of `deja warm`: batches from SQLite into the tenant's cache, with progress, and a
// clean stop on Ctrl-C or SIGTERM.
import type { Io } from '../command.js';
import { EXIT_CODES, type ExitCode } from '../errors.js';
import { formatInteger } from '../format/numbers.js';
import { ProgressReporter } from '../format/progress.js';
import type { RedisSession } from '../redis/redis-session.js';
import type { TableSource } from '../sqlite/table-source.js';
import { exitCodeOf, StopSignals } from './stop-signals.js';
import { type WarmTarget, warmBatch } from './warm-batch.js';
import { type Totals, warmSummaryText } from './warm-summary.js';

const FAILURES_SHOWN = 5;

export interface WarmRun {
  io: Io;
  session: RedisSession;
  source: TableSource;
  total: number;
  /** Rows read, embedded and written together. */
  rowsPerBatch: number;
  /** Entry time to live, ms. */
  ttlMs: number;
  tenant: string;
  embedderLabel: string;
}

export async function warmRows(run: WarmRun): Promise<ExitCode> {
  const { io, session, source, total } = run;
  const { deja } = session;
  const health = await deja.health();
  const engine = health.queryEngine
    ? `Query Engine index ${health.index?.name ?? ''}`.trim()
    : 'no Query Engine: client-side KNN';
  io.stdout.write(
    `warm: ${formatInteger(total)} rows of ${source.table} -> tenant ${JSON.stringify(run.tenant)} on ${session.label} (${engine})\n` +
      `embedder: ${run.embedderLabel}\n`,
  );
  const target: WarmTarget = {
    tenant: deja.tenant(run.tenant),
    embeddings: deja.embeddings,
    embedderModelId: deja.embeddings.modelId,
    table: source.table,
    idColumn: source.idColumn,
    ttlMs: run.ttlMs,
  };
  const totals: Totals = { processed: 0, cached: 0, skipped: 0, failed: 0, failures: [] };
  const started = performance.now();
  const progress = new ProgressReporter(io.stderr, total, 'warm');
  const stop = new StopSignals(
    (signal) =>
      io.stderr.write(`\n${signal}: saving the batch in flight, then stopping (again to abandon it)\n`),
    (signal) => {
      io.stdout.write(
        warmSummaryText(totals, total, performance.now() - started, undefined, { signal, abandoned: true }),
      );
      process.exit(exitCodeOf(signal));
    },
  );
  stop.install();
  try {
    for (const rows of source.batches(run.rowsPerBatch)) {
      if (stop.requested) break;
      const outcome = await warmBatch(target, rows);
      totals.processed += rows.length;
      totals.cached += outcome.cached;
      totals.skipped += outcome.skipped;
      totals.failed += outcome.failed;
      totals.failures.push(...outcome.failures.slice(0, FAILURES_SHOWN - totals.failures.length));
      progress.update(totals.processed);
    }
  } catch (error) {
    progress.finish();
    io.stdout.write(warmSummaryText(totals, total, performance.now() - started, undefined, undefined));
    throw error;
  } finally {
    stop.dispose();
  }
  // The rate is of the rows, measured where the progress line measured it: the health call below
  // (INFO over the network) is not warming.
  const elapsedMs = performance.now() - started;
  progress.finish();
  const memory = (await deja.health()).memoryBytes;
  const signal = stop.requested;
  io.stdout.write(warmSummaryText(totals, total, elapsedMs, memory, signal && { signal, abandoned: false }));
  if (signal) return exitCodeOf(signal);
  return totals.failed > 0 ? EXIT_CODES.failure : EXIT_CODES.ok;
}
