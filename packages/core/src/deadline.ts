// Deadlines. `withinDeadline` measures the time Redis takes, not the app's own stalls: it counts
// responsive time on the loop clock (loop-clock.ts), with a wall-time backstop. `withDeadline`
// resolves a fallback after plain wall time, for calls outside the breaker's count (health).
import { DejaTimeoutError } from './errors.js';
import { loopClock } from './loop-clock.js';

/** However stalled the loop, an operation gives up after this many times its deadline of wall time. */
const WALL_TIME_LIMIT = 8;

export /**
 * Settles with `promise`, or rejects with a DejaTimeoutError once `timeoutMs` of responsive time
 * (loop-clock.ts) has passed without an answer, or WALL_TIME_LIMIT times that of wall time.
 */
async function withinDeadline<T>(promise: Promise<T>, timeoutMs: number, name: string): Promise<T> {
  loopClock.acquire();
  const started = loopClock.now();
  const wallStarted = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let lastTurn: NodeJS.Immediate | undefined;
  const deadline = new Promise<never>((_, reject) => {
    const expire = () => reject(new DejaTimeoutError(`${name} took longer than ${timeoutMs} ms`));
    const check = () => {
      const waited = loopClock.now() - started;
      if (waited < timeoutMs && performance.now() - wallStarted < timeoutMs * WALL_TIME_LIMIT) {
        timer = setTimeout(check, Math.max(1, timeoutMs - waited));
        return;
      }
      // One more turn of the loop first: a reply already in the socket is read in the poll phase,
      // which comes after the timers and before the immediates; it wins the race if it is there.
      lastTurn = setImmediate(expire);
    };
    timer = setTimeout(check, timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
    clearImmediate(lastTurn);
    loopClock.release();
  }
}

/** Resolves to `fallback` when `promise` takes longer than `ms` (for calls outside the breaker's count). */
export async function withDeadline<T>(promise: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
