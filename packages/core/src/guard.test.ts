import { describe, expect, it } from 'vitest';
import { DejaInputError, DejaStoreError } from './errors.js';
import { type DejaErrorEvent, Guard } from './guard.js';

const make = (overrides: Partial<ConstructorParameters<typeof Guard>[0]> = {}) => {
  const events: DejaErrorEvent[] = [];
  const guard = new Guard({
    timeoutMs: 20,
    failureThreshold: 2,
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
});
