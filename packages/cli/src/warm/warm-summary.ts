// The lines `deja warm` ends with: what it did, coverage, memory, and how it stopped.
import { formatBytes, formatDuration, formatInteger, formatPercent } from '../format/numbers.js';
import { rateOf } from '../format/progress.js';
import type { StopSignal } from './stop-signals.js';

export interface Totals {
  processed: number;
  cached: number;
  skipped: number;
  failed: number;
  failures: string[];
}

export interface Stopped {
  signal: StopSignal;
  /** True when the batch in flight was dropped (a second signal). */
  abandoned: boolean;
}

export function warmSummaryText(
  totals: Totals,
  total: number,
  elapsedMs: number,
  memoryBytes: number | undefined,
  stopped: Stopped | undefined,
): string {
  const covered = totals.cached + totals.skipped;
  const complete = totals.processed >= total;
  // The progress line's definition (rows done over the time since warm started), so both agree.
  const rate = rateOf({ done: totals.processed, total, elapsedMs });
  const lines = [
    '',
    `processed     ${formatInteger(totals.processed)} rows in ${formatDuration(elapsedMs)} (${formatInteger(rate)} rows/s)`,
    `newly cached  ${formatInteger(totals.cached)}`,
    `skipped       ${formatInteger(totals.skipped)} (already cached)`,
    `failed        ${formatInteger(totals.failed)}`,
    ...totals.failures.map((failure) => `              ${failure}`),
    complete
      ? `coverage      ${formatInteger(covered)} / ${formatInteger(total)} rows (${formatPercent(covered / total)})`
      : `coverage      at least ${formatInteger(covered)} / ${formatInteger(total)} rows (${formatPercent(covered / total)}): rows not reached yet were not checked`,
  ];
  if (memoryBytes !== undefined) lines.push(`Redis memory  ${formatBytes(memoryBytes)} used`);
  if (stopped) {
    lines.push(
      stopped.abandoned
        ? `stopped by ${stopped.signal}; the batch in flight was abandoned (its rows are embedded again next run). Run the same command to resume.`
        : `stopped by ${stopped.signal} after saving the batch in flight. Run the same command to resume.`,
    );
  } else if (!complete) {
    lines.push(
      'stopped by an error (below). Everything written so far is kept: run the same command to resume.',
    );
  }
  return `${lines.join('\n')}\n`;
}
