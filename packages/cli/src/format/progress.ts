// Progress of a long job on stderr: a redrawn bar on a terminal; in logs and pipes a plain line
// at every 10% (or every 10 s when rows come slowly), so CI output stays short and readable.
import type { OutputStream } from '../command.js';
import { formatDuration, formatInteger, formatPercent } from './numbers.js';

export interface ProgressState {
  done: number;
  total: number;
  elapsedMs: number;
}

const BAR_WIDTH = 28;
const REDRAW_MS = 100;
const PLAIN_STEP = 0.1;
const PLAIN_QUIET_MS = 10_000;

export function rateOf(state: ProgressState): number {
  return state.elapsedMs > 0 ? (state.done * 1_000) / state.elapsedMs : 0;
}

/** "1,356/3,000 rows  45.2%  2,345 rows/s  ETA 1.0 s" */
export function progressText(state: ProgressState, unit = 'rows'): string {
  const fraction = state.total > 0 ? Math.min(1, state.done / state.total) : 1;
  const rate = rateOf(state);
  const remaining = Math.max(0, state.total - state.done);
  const eta =
    state.done >= state.total
      ? 'done'
      : rate > 0
        ? `ETA ${formatDuration((remaining / rate) * 1_000)}`
        : 'ETA …';
  return `${formatInteger(state.done)}/${formatInteger(state.total)} ${unit}  ${formatPercent(fraction)}  ${formatInteger(rate)} ${unit}/s  ${eta}`;
}

export function progressBar(fraction: number, width = BAR_WIDTH): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export class ProgressReporter {
  private readonly started: number;
  private lastDraw = -Infinity;
  private lastPlainStep = 0;
  private lastPlainAt: number;
  private done = 0;

  constructor(
    private readonly stream: OutputStream,
    private readonly total: number,
    private readonly label: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.lastPlainAt = this.started;
  }

  update(done: number): void {
    this.done = done;
    const at = this.now();
    if (this.stream.isTTY) {
      if (at - this.lastDraw < REDRAW_MS) return;
      this.lastDraw = at;
      this.stream.write(`\r${this.barLine(at)}\u001b[K`);
      return;
    }
    const step = this.total > 0 ? Math.floor(done / this.total / PLAIN_STEP) : 0;
    if (step > this.lastPlainStep || at - this.lastPlainAt >= PLAIN_QUIET_MS) {
      this.lastPlainStep = Math.max(step, this.lastPlainStep);
      this.lastPlainAt = at;
      this.stream.write(`${this.label}: ${progressText(this.state(at))}\n`);
    }
  }

  /** Ends the bar line on a terminal (plain output already has its lines). */
  finish(): void {
    if (this.stream.isTTY) this.stream.write(`\r${this.barLine(this.now())}\u001b[K\n`);
  }

  private barLine(at: number): string {
    const state = this.state(at);
    const fraction = state.total > 0 ? state.done / state.total : 1;
    return `${this.label} ${progressBar(fraction)} ${progressText(state)}`;
  }

  private state(at: number): ProgressState {
    return { done: this.done, total: this.total, elapsedMs: at - this.started };
  }
}
