// Concurrent identical streamed calls share one model stream. The first call opens it; a later one
// gets the parts so far at once, then follows live. The model stream is read at its own pace (not
// the slowest consumer's), recorded, and cancelled only when every consumer has left — one caller
// aborting never breaks another's stream. When it ends well, `settle` runs (the cache write) before
// consumers see the close, so a call made after one finished finds the entry.
import type { StreamPart, StreamResult } from './spec.js';

type Part = StreamPart;

export interface FlightOutcome {
  /** Every part the model sent, in order. */
  parts: readonly Part[];
}

export interface SubscribeOptions {
  /** The consumer's abort signal: aborting detaches this consumer only. */
  signal?: AbortSignal;
  /** Applied to every part this consumer receives (followers get their finish part marked). */
  rewrite?: (part: Part) => Part;
}

interface Subscriber {
  controller: ReadableStreamDefaultController<Part>;
  rewrite: (part: Part) => Part;
  removeAbortListener: () => void;
}

const identity = (part: Part) => part;

export class StreamFlight {
  private readonly abortController = new AbortController();
  private readonly parts: Part[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private reader: ReadableStreamDefaultReader<Part> | undefined;
  private state: 'running' | 'settling' | 'closed' = 'running';
  private failure: { error: unknown } | undefined;
  private abandoned = false;

  /** The signal for the model call: aborted once every consumer has left. */
  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  /** False once abandoned or failed: a new identical call must start its own flight then. */
  get joinable(): boolean {
    return !this.abandoned && this.failure === undefined;
  }

  /** Reads the model stream to its end; `settle` sees the recording of a stream that ended by itself. */
  async run(source: ReadableStream<Part>, settle: (outcome: FlightOutcome) => Promise<void>): Promise<void> {
    const reader = source.getReader();
    this.reader = reader;
    if (this.abandoned) {
      await reader.cancel().catch(() => undefined);
      return;
    }
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.parts.push(value);
        for (const subscriber of this.subscribers) enqueue(subscriber, value);
      }
    } catch (error) {
      this.close({ error });
      return;
    }
    if (this.abandoned) return;
    this.state = 'settling';
    try {
      await settle({ parts: this.parts });
    } catch {
      // The cache write is best effort; the consumers' stream is complete either way.
    }
    this.close(undefined);
  }

  /** A consumer's view: the parts so far, then live ones, then the end the model stream had. */
  subscribe(options: SubscribeOptions = {}): ReadableStream<Part> {
    const { signal, rewrite = identity } = options;
    let subscriber: Subscriber | undefined;
    return new ReadableStream<Part>({
      start: (controller) => {
        const onAbort = () => {
          if (subscriber) this.detach(subscriber);
          safely(() => controller.error(signal?.reason));
        };
        subscriber = {
          controller,
          rewrite,
          removeAbortListener: () => signal?.removeEventListener('abort', onAbort),
        };
        for (const part of this.parts) controller.enqueue(rewrite(part));
        if (this.state === 'closed') {
          end(subscriber, this.failure);
          return;
        }
        this.subscribers.add(subscriber);
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      },
      cancel: () => {
        if (subscriber) this.detach(subscriber);
      },
    });
  }

  private detach(subscriber: Subscriber): void {
    subscriber.removeAbortListener();
    if (!this.subscribers.delete(subscriber)) return;
    if (this.subscribers.size === 0 && this.state === 'running') {
      // Nobody is listening any more: stop paying for tokens, and never store a partial answer.
      this.abandoned = true;
      this.abortController.abort();
      void this.reader?.cancel().catch(() => undefined);
    }
  }

  private close(failure: { error: unknown } | undefined): void {
    this.failure = failure;
    this.state = 'closed';
    for (const subscriber of this.subscribers) end(subscriber, failure);
    this.subscribers.clear();
  }
}

/** In-flight streams by request, so identical concurrent calls find each other. */
export class StreamFlights {
  private readonly flights = new Map<string, { flight: StreamFlight; opened: Promise<StreamResult> }>();

  /** Joins the flight of `key` if one is running; undefined otherwise. */
  join(key: string, options: SubscribeOptions): Promise<ReadableStream<Part>> | undefined {
    const entry = this.flights.get(key);
    if (!entry?.flight.joinable) return undefined;
    return entry.opened.then(() => entry.flight.subscribe(options));
  }

  /** Opens the model stream with the flight's own signal and shares it under `key` until it settles. */
  start(
    key: string,
    open: (signal: AbortSignal) => PromiseLike<StreamResult>,
    settle: (outcome: FlightOutcome) => Promise<void>,
    options: SubscribeOptions,
  ): Promise<StreamResult> {
    const flight = new StreamFlight();
    const opened = Promise.resolve(open(flight.signal));
    const entry = { flight, opened };
    this.flights.set(key, entry);
    const forget = () => {
      if (this.flights.get(key) === entry) this.flights.delete(key);
    };
    opened.then((result) => flight.run(result.stream, settle).finally(forget), forget);
    return opened.then((result) => ({ ...result, stream: flight.subscribe(options) }));
  }

  get size(): number {
    return this.flights.size;
  }
}

function enqueue(subscriber: Subscriber, part: Part): void {
  safely(() => subscriber.controller.enqueue(subscriber.rewrite(part)));
}

function end(subscriber: Subscriber, failure: { error: unknown } | undefined): void {
  subscriber.removeAbortListener();
  safely(() => (failure ? subscriber.controller.error(failure.error) : subscriber.controller.close()));
}

/** A consumer that cancelled or errored has a closed controller; writing to it must not throw here. */
function safely(action: () => void): void {
  try {
    action();
  } catch {
    // Already closed by its consumer.
  }
}
