import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardVerifier, type Verifier, type VerifyRequest } from './verifier.js';

const request = {
  query: 'What is the capital of France?',
  candidate: { text: 'Capital of France?', value: 'Paris' },
  similarity: 0.93,
};
const answering = (answer: unknown): Verifier => ({ verify: async () => answer as never });

afterEach(() => {
  vi.useRealTimers();
});

describe('guardVerifier', () => {
  it('passes verdicts through and counts them', async () => {
    const same = guardVerifier(answering('same'), { timeoutMs: 60_000 });
    expect(await same.verify(request)).toMatchObject({ verdict: 'same' });
    const different = guardVerifier(answering({ verdict: 'different', inputTokens: 170, outputTokens: 6 }), {
      timeoutMs: 60_000,
    });
    expect(await different.verify(request)).toMatchObject({ verdict: 'different' });
    expect(same.counters()).toMatchObject({ verifications: 1, verified: 1, rejected: 0, failures: 0 });
    expect(different.counters()).toMatchObject({
      verifications: 1,
      verified: 0,
      rejected: 1,
      inputTokens: 170,
      outputTokens: 6,
    });
  });

  it('hands the verifier the request and an abort signal', async () => {
    const seen: VerifyRequest[] = [];
    const verifier: Verifier = {
      verify: async (received) => {
        seen.push(received);
        return 'same';
      },
    };
    const guarded = guardVerifier(verifier, { timeoutMs: 60_000 });
    await guarded.verify(request);
    expect(seen[0]).toMatchObject(request);
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('fails closed on an error, and reports it', async () => {
    const failures: unknown[] = [];
    const guarded = guardVerifier(
      { verify: async () => Promise.reject(new Error('model down')) },
      { timeoutMs: 60_000, onFailure: (failure) => failures.push(failure) },
    );
    expect(await guarded.verify(request)).toMatchObject({ verdict: 'different', failure: 'error' });
    expect(failures).toEqual([{ kind: 'error', error: new Error('model down') }]);
    expect(guarded.counters()).toMatchObject({ verifications: 1, rejected: 1, failures: 1, timeouts: 0 });
  });

  it('fails closed on a verifier that throws synchronously', async () => {
    const guarded = guardVerifier(
      {
        verify: () => {
          throw new Error('sync');
        },
      },
      { timeoutMs: 60_000 },
    );
    expect(await guarded.verify(request)).toMatchObject({ verdict: 'different', failure: 'error' });
  });

  it('fails closed on an answer that is not a verdict', async () => {
    for (const answer of ['yes', 'SAME', undefined, null, { verdict: 'maybe' }, 1]) {
      const failures: unknown[] = [];
      const guarded = guardVerifier(answering(answer), {
        timeoutMs: 60_000,
        onFailure: (f) => failures.push(f),
      });
      expect(await guarded.verify(request)).toMatchObject({
        verdict: 'different',
        failure: 'invalid-verdict',
      });
      expect(failures).toHaveLength(1);
    }
  });

  it('fails closed at its deadline, aborts the verifier, and ignores a late verdict', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    let answer: (verdict: 'same') => void = () => {};
    const guarded = guardVerifier(
      {
        verify: (r) => {
          signal = r.signal;
          return new Promise((resolve) => {
            answer = resolve;
          });
        },
      },
      { timeoutMs: 2_000 },
    );
    const pending = guarded.verify(request);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({ verdict: 'different', failure: 'timeout' });
    expect(signal?.aborted).toBe(true);
    answer('same');
    await vi.advanceTimersByTimeAsync(0);
    expect(guarded.counters()).toMatchObject({
      verifications: 1,
      verified: 0,
      rejected: 1,
      timeouts: 1,
      failures: 1,
    });
  });

  it("fails closed when the caller's signal aborts, and passes the abort on", async () => {
    const caller = new AbortController();
    let inner: AbortSignal | undefined;
    const guarded = guardVerifier(
      {
        verify: (r) => {
          inner = r.signal;
          return new Promise(() => {});
        },
      },
      { timeoutMs: 60_000 },
    );
    const pending = guarded.verify({ ...request, signal: caller.signal });
    caller.abort(new Error('client went away'));
    expect(await pending).toMatchObject({ verdict: 'different', failure: 'error' });
    expect(inner?.aborted).toBe(true);
  });

  it('measures time with the given clock and hands out deltas for stats', async () => {
    let now = 100;
    const guarded = guardVerifier(
      {
        verify: async () => {
          now += 250;
          return 'same';
        },
      },
      { timeoutMs: 60_000, now: () => now },
    );
    expect((await guarded.verify(request)).ms).toBe(250);
    expect(guarded.takeCounters()).toMatchObject({ verifications: 1, verifierMs: 250 });
    expect(guarded.takeCounters()).toMatchObject({ verifications: 0, verifierMs: 0 });
    expect(guarded.counters()).toMatchObject({ verifications: 1, verifierMs: 250 });
  });

  it('ignores nonsense token counts instead of corrupting stats', async () => {
    const guarded = guardVerifier(answering({ verdict: 'same', inputTokens: -5, outputTokens: Number.NaN }), {
      timeoutMs: 60_000,
    });
    await guarded.verify(request);
    expect(guarded.counters()).toMatchObject({ inputTokens: 0, outputTokens: 0, verified: 1 });
  });
});
