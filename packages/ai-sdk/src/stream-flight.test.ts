import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { convertReadableStreamToArray } from 'ai/test';
import { describe, expect, it, vi } from 'vitest';
import { type FlightOutcome, StreamFlights } from './stream-flight.js';

type Part = LanguageModelV4StreamPart;

const delta = (text: string): Part => ({ type: 'text-delta', id: 't', delta: text });

/** A model stream the test feeds by hand; `signal` is what the flight passed to the model. */
function manualSource() {
  let controller!: ReadableStreamDefaultController<Part>;
  let cancelled = false;
  const stream = new ReadableStream<Part>({
    start(started) {
      controller = started;
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    stream,
    push: (part: Part) => controller.enqueue(part),
    end: () => controller.close(),
    fail: (error: unknown) => controller.error(error),
    get cancelled() {
      return cancelled;
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('StreamFlights', () => {
  it('gives a joiner the parts so far, then the live ones; settles before anyone sees the end', async () => {
    const flights = new StreamFlights();
    const source = manualSource();
    const order: string[] = [];
    const settle = vi.fn(async (outcome: FlightOutcome) => {
      order.push(`settle ${outcome.parts.length}`);
    });
    const leader = await flights.start('k', async () => ({ stream: source.stream }), settle, {});
    source.push(delta('a'));
    await tick();
    const follower = await flights.join('k', {
      rewrite: (part) => (part.type === 'text-delta' ? { ...part, delta: part.delta.toUpperCase() } : part),
    });
    source.push(delta('b'));
    source.end();

    const [leaderParts, followerParts] = await Promise.all([
      convertReadableStreamToArray(leader.stream).then((parts) => {
        order.push('leader closed');
        return parts;
      }),
      convertReadableStreamToArray(follower as ReadableStream<Part>),
    ]);
    expect(leaderParts).toEqual([delta('a'), delta('b')]);
    expect(followerParts).toEqual([delta('A'), delta('B')]);
    expect(settle).toHaveBeenCalledTimes(1);
    expect(order).toEqual(['settle 2', 'leader closed']);
    await tick();
    expect(flights.size).toBe(0);
    expect(flights.join('k', {})).toBeUndefined();
  });

  it('keeps the stream going when one consumer leaves, and stops the model when all have', async () => {
    const flights = new StreamFlights();
    const source = manualSource();
    let modelSignal: AbortSignal | undefined;
    const settle = vi.fn(async () => undefined);
    const leaving = new AbortController();
    const first = await flights.start(
      'k',
      async (signal) => {
        modelSignal = signal;
        return { stream: source.stream };
      },
      settle,
      { signal: leaving.signal },
    );
    const second = (await flights.join('k', {})) as ReadableStream<Part>;
    const firstReader = first.stream.getReader();
    source.push(delta('a'));
    expect(await firstReader.read()).toEqual({ done: false, value: delta('a') });

    leaving.abort();
    await expect(firstReader.read()).rejects.toThrow(/abort/i);
    expect(modelSignal?.aborted).toBe(false);
    source.push(delta('b'));

    const secondReader = second.getReader();
    expect(await secondReader.read()).toEqual({ done: false, value: delta('a') });
    expect(await secondReader.read()).toEqual({ done: false, value: delta('b') });
    await secondReader.cancel();
    await tick();

    expect(modelSignal?.aborted).toBe(true);
    expect(source.cancelled).toBe(true);
    expect(settle).not.toHaveBeenCalled();
    expect(flights.join('k', {})).toBeUndefined();
  });

  it('passes a failing model stream on to every consumer and does not settle', async () => {
    const flights = new StreamFlights();
    const source = manualSource();
    const settle = vi.fn(async () => undefined);
    const leader = await flights.start('k', async () => ({ stream: source.stream }), settle, {});
    const follower = (await flights.join('k', {})) as ReadableStream<Part>;
    source.push(delta('a'));
    source.fail(new Error('connection reset'));

    await expect(convertReadableStreamToArray(leader.stream)).rejects.toThrow('connection reset');
    await expect(convertReadableStreamToArray(follower)).rejects.toThrow('connection reset');
    expect(settle).not.toHaveBeenCalled();
  });

  it('shares a failure to open the model stream with every waiting caller', async () => {
    const flights = new StreamFlights();
    let fail!: (error: Error) => void;
    const opening = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const leader = flights.start('k', () => opening, vi.fn(), {});
    const follower = flights.join('k', {});
    fail(new Error('429 rate limited'));
    await expect(leader).rejects.toThrow('429');
    await expect(follower).rejects.toThrow('429');
    await tick();
    expect(flights.size).toBe(0);
  });
});
