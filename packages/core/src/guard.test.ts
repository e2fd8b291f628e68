import { describe, expect, it } from 'vitest';
import { DejaInputError, DejaOverloadedError, DejaStoreError } from './errors.js';
import { type DejaErrorEvent, Guard } from './guard.js';

const make = (overrides: Partial<ConstructorParameters<typeof Guard>[0]> = {}) => {
  const events: DejaErrorEvent[] = [];
  const guard = new Guard({
    timeoutMs: 20,
    failureThreshold: 2,
    maxInFlight: 100,
    maxQueued: 100,
    cooldownMs: 50,
    strict: false,
    onError: (event) => events.push(event),
    ...overrides,
  });
  return { guard, events };
};
const failing = () => Promise.reject(new Error('ECONNREFUSED'));
const hanging = () => new Promise<string>(() => undefined);

describe('Guard', () => {
  it('turns store errors and timeouts into the fallback and reports them', async () => {
    const { guard, events } = make({ failureThreshold: 10 });
    expect(await guard.run('get', failing, 'miss')).toBe('miss');
    expect(await guard.run('get', hanging, 'miss')).toBe('miss');
    expect(events.map((event) => event.kind)).toEqual(['store', 'timeout']);
  });

  it('opens after the threshold, short-circuits, then lets one probe through after the cooldown', async () => {
    const { guard } = make();
    await guard.run('get', failing, null);
    await guard.run('get', failing, null);
    expect(guard.breaker).toBe('open');
    let called = false;
    const operation = async () => {
      called = true;
      return 'x';
    };
    expect(await guard.run('get', operation, 'fallback')).toBe('fallback');
    expect(called).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await guard.run('get', async () => 'x', 'fallback')).toBe('x');
    expect(guard.breaker).toBe('closed');
  });

  it('throws misuse errors whatever the mode, and store errors only when strict', async () => {
    const { guard } = make();
    await expect(guard.run('put', () => Promise.reject(new DejaInputError('bad')), null)).rejects.toThrow(
      DejaInputError,
    );
    const strict = make({ strict: true }).guard;
    await expect(strict.run('get', failing, null)).rejects.toThrow(DejaStoreError);
  });

  it('survives an onError hook that throws', async () => {
    const { guard } = make({
      onError: () => {
        throw new Error('hook bug');
      },
    });
    expect(await guard.run('get', failing, 'miss')).toBe('miss');
  });

  it('lets one app-level call wait for at most one deadline: after a failure its other store calls are skipped', async () => {
    const { guard, events } = make({ failureThreshold: 10 });
    let reached = 0;
    const healthy = async () => {
      reached++;
      return 'ok';
    };
    const results = await guard.oneDeadline(async () => [
      await guard.run('exact', healthy, 'miss'),
      await guard.run('embedding read', hanging, 'miss'),
      await guard.run('knn', healthy, 'miss'),
    ]);
    expect(results).toEqual(['ok', 'miss', 'miss']);
    expect(reached).toBe(1);
    expect(events.map((event) => event.kind)).toEqual(['timeout']);
    // Another call starts afresh.
    expect(await guard.oneDeadline(() => guard.run('exact', healthy, 'miss'))).toBe('ok');
  });

  it('drops writes a full Redis refuses (OOM) without opening the breaker', async () => {
    const { guard, events } = make();
    const full = () => Promise.reject(new Error("OOM command not allowed when used memory > 'maxmemory'."));
    for (let i = 0; i < 5; i++) expect(await guard.run('put', full, 'dropped')).toBe('dropped');
    expect(guard.breaker).toBe('closed');
    expect(events.map((event) => event.kind)).toEqual(['store', 'store', 'store', 'store', 'store']);
    expect(await guard.run('get', async () => 'read', 'miss')).toBe('read');
  });

  it("does not time out a reply that waited behind the process's own work", async () => {
    // A 200 ms deadline, busy for four of them: the wall-time backstop (8 deadlines) stays far off
    // even when other processes take the cores, so only the loop clock is under test.
    const { guard, events } = make({ failureThreshold: 1, timeoutMs: 200 });
    // The reply is read a turn of the loop later (as a socket read would be), but the process is
    // busy for four deadlines first: the time-out timer is then due before the reply is read.
    const reply = () =>
      new Promise<string>((resolve) => setImmediate(() => setImmediate(() => resolve('hit'))));
    const result = guard.run('get', reply, 'miss');
    busyFor(800);
    expect(await result).toBe('hit');
    expect(events).toEqual([]);
    expect(guard.breaker).toBe('closed');
  });

  it('runs at most maxInFlight operations at once; the rest wait, and waiting is not a time-out', async () => {
    const { guard, events } = make({ timeoutMs: 100, maxInFlight: 2 });
    let running = 0;
    let most = 0;
    const operation = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running--;
      return 'ok';
    };
    // Ten operations of 30 ms through two slots: the last waits ~120 ms, longer than its deadline.
    const results = await Promise.all(Array.from({ length: 10 }, () => guard.run('get', operation, 'miss')));
    expect(results).toEqual(Array(10).fill('ok'));
    expect(most).toBe(2);
    expect(events).toEqual([]);
  });

  it('sheds work beyond maxQueued as a miss, reported as overloaded and never counted by the breaker', async () => {
    const { guard, events } = make({ maxInFlight: 1, maxQueued: 1, failureThreshold: 1, timeoutMs: 5_000 });
    const releases: (() => void)[] = [];
    const held = () => new Promise<string>((resolve) => releases.push(() => resolve('ok')));
    const calls = Array.from({ length: 5 }, () => guard.run('get', held, 'miss'));
    // One runs, one waits, three are shed at once.
    const shed = await Promise.all(calls.slice(2));
    expect(shed).toEqual(['miss', 'miss', 'miss']);
    expect(events.map((event) => event.kind)).toEqual(['overloaded', 'overloaded', 'overloaded']);
    expect(guard.breaker).toBe('closed');
    releases[0]?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    releases[1]?.();
    expect(await Promise.all(calls.slice(0, 2))).toEqual(['ok', 'ok']);

    const strict = make({ maxInFlight: 1, maxQueued: 0, strict: true }).guard;
    const first = strict.run(
      'get',
      () => new Promise((resolve) => setTimeout(() => resolve('ok'), 10)),
      'miss',
    );
    await expect(strict.run('get', async () => 'ok', 'miss')).rejects.toThrow(DejaOverloadedError);
    expect(await first).toBe('ok');
  });

  it('skips work that waited while the breaker opened', async () => {
    const { guard, events } = make({ maxInFlight: 1, failureThreshold: 1 });
    const first = guard.run('get', failing, 'miss');
    let reached = false;
    const second = guard.run(
      'get',
      async () => {
        reached = true;
        return 'ok';
      },
      'miss',
    );
    expect(await Promise.all([first, second])).toEqual(['miss', 'miss']);
    expect(reached).toBe(false);
    expect(events.map((event) => event.kind)).toEqual(['store', 'circuit-open']);
  });

  it('a probe that ends without a verdict (a misuse error) does not leave the breaker half-open for good', async () => {
    const { guard } = make();
    await guard.run('get', failing, null);
    await guard.run('get', failing, null);
    expect(guard.breaker).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(guard.run('put', () => Promise.reject(new DejaInputError('bad')), null)).rejects.toThrow(
      DejaInputError,
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await guard.run('get', async () => 'x', 'fallback')).toBe('x');
    expect(guard.breaker).toBe('closed');
  });
});

/** Keeps the event loop busy (the app's own synchronous work). */
function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}
