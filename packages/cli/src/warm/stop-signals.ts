// Ctrl-C and SIGTERM during a long job: the first one lets the batch in flight finish (so what
// was embedded is written, and nothing is embedded twice on the next run), the second abandons it.
import { EXIT_CODES, type ExitCode } from '../errors.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

export function exitCodeOf(signal: StopSignal): ExitCode {
  return signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated;
}

export class StopSignals {
  /** Set by the first signal; the job checks it between batches. */
  requested: StopSignal | undefined;
  private readonly handlers = new Map<StopSignal, () => void>();

  constructor(
    private readonly onFirst: (signal: StopSignal) => void,
    /** Second signal: the job is abandoned; this must end the process. */
    private readonly onSecond: (signal: StopSignal) => void,
  ) {}

  install(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const handler = () => {
        if (this.requested) {
          this.onSecond(signal);
          return;
        }
        this.requested = signal;
        this.onFirst(signal);
      };
      this.handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  dispose(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
    this.handlers.clear();
  }
}
