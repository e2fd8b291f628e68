// A clock that stops while the event loop is stalled. A store deadline must measure Redis, not the
// process's own work: a reply that arrived on time but sat in the socket while the loop ran
// something else (the app's code, hundreds of other calls, another process taking the CPU) is not
// a slow Redis. A heartbeat timer runs while any deadline is pending; whenever a beat comes late,
// the lateness is time the loop could not have read a reply, and this clock does not count it.
/** How often the heartbeat beats while someone listens, ms. */
const BEAT_MS = 10;
/** Lateness of a beat that is ordinary timer jitter, not a stall, ms. */
const JITTER_MS = 2;

export class LoopClock {
  private stalled = 0;
  private lastBeat = 0;
  private listeners = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Starts the heartbeat (if it is not running) for one pending deadline. */
  acquire(): void {
    if (this.listeners++ > 0) return;
    this.lastBeat = performance.now();
    this.schedule();
  }

  /** Stops the heartbeat when no deadline is pending (an idle process runs no timer). */
  release(): void {
    if (--this.listeners > 0) return;
    this.listeners = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Milliseconds of responsive time: wall time minus the stalls seen since the first acquire.
   * Only differences between two readings under one acquire mean anything.
   */
  now(): number {
    const at = performance.now();
    return at - this.stalled - this.lateness(at);
  }

  private lateness(at: number): number {
    return this.timer ? Math.max(0, at - this.lastBeat - BEAT_MS - JITTER_MS) : 0;
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.beat(), BEAT_MS);
    // The heartbeat alone must never keep the process alive.
    this.timer.unref();
  }

  private beat(): void {
    const at = performance.now();
    this.stalled += this.lateness(at);
    this.lastBeat = at;
    this.schedule();
  }
}

/** One clock for the process: stalls are the process's, whichever deja sees them. */
export const loopClock = new LoopClock();
