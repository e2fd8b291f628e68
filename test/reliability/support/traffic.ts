// Many concurrent app callers against one tenant, each call timed and tagged with the deja error
// events it caused (AsyncLocalStorage follows the call through deja into its onError hook).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DejaErrorEvent, DejaErrorKind, ResponseRequest, TenantCache } from '@deja/core';
import { sleep } from './latency.ts';

export interface CallRecord {
  operation: 'lookup' | 'wrap';
  /** performance.now() at the start of the call. */
  startedAt: number;
  ms: number;
  hit: boolean;
  /** Kinds of the onError events this call caused. */
  kinds: Set<DejaErrorKind>;
  /** The onError events this call caused, in order. */
  events: DejaErrorEvent[];
  /**
   * In the order they happened: `send <store call>` as each store call leaves (see
   * `recordStoreCall`) and `fail <operation>` as each timeout or store error is reported.
   */
  timeline: string[];
  failed?: unknown;
}

const currentCall = new AsyncLocalStorage<CallRecord>();

/** Pass as createDeja({ onError }): files each event under the call that caused it. */
export function recordErrorEvent(event: DejaErrorEvent): void {
  const call = currentCall.getStore();
  call?.kinds.add(event.kind);
  call?.events.push(event);
  if (event.kind === 'timeout' || event.kind === 'store') call?.timeline.push(`fail ${event.operation}`);
}

/** Pass as recordingStore's `onCall`: files each store call under the app call that sent it. */
export function recordStoreCall(name: string): void {
  currentCall.getStore()?.timeline.push(`send ${name}`);
}

/**
 * The store calls this call sent after one of its store calls had failed: none when a call waits
 * for Redis at most one deadline (calls that left together may all time out; nothing leaves after).
 */
export const sentAfterFailure = (call: CallRecord): string[] => {
  const failed = call.timeline.findIndex((entry) => entry.startsWith('fail '));
  return failed < 0 ? [] : call.timeline.slice(failed + 1).filter((entry) => entry.startsWith('send '));
};

/** True when the call waited on Redis and gave up at the deadline (breaker closed or probing). */
export const waitedForDeadline = (call: CallRecord) => call.kinds.has('timeout') || call.kinds.has('store');
/** True when the open breaker answered every store call of this call without touching Redis. */
export const shortCircuited = (call: CallRecord) =>
  call.kinds.size > 0 && [...call.kinds].every((kind) => kind === 'circuit-open');

export class Traffic {
  readonly calls: CallRecord[] = [];
  computes = 0;
  private running = false;
  private callers: Promise<void>[] = [];

  constructor(
    private readonly tenant: TenantCache,
    private readonly requests: ResponseRequest[],
    private readonly callerCount = 50,
  ) {}

  start(): void {
    this.running = true;
    this.callers = Array.from({ length: this.callerCount }, (_, caller) => this.caller(caller));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.callers);
  }

  since(time: number): CallRecord[] {
    return this.calls.filter((call) => call.startedAt >= time);
  }

  private async caller(caller: number): Promise<void> {
    let turn = caller;
    while (this.running) {
      turn++;
      const request = this.requests[turn % this.requests.length] as ResponseRequest;
      const call: CallRecord = {
        operation: turn % 2 === 0 ? 'lookup' : 'wrap',
        startedAt: performance.now(),
        ms: 0,
        hit: false,
        kinds: new Set(),
        events: [],
        timeline: [],
      };
      try {
        await currentCall.run(call, async () => {
          if (call.operation === 'lookup') {
            call.hit = (await this.tenant.responses.lookup(request)) !== undefined;
          } else {
            const result = await this.tenant.responses.wrap(request, async () => {
              this.computes++;
              return { answer: `computed for ${String(request.key)}` };
            });
            call.hit = result.hit !== 'miss';
          }
        });
      } catch (error) {
        call.failed = error;
      }
      call.ms = performance.now() - call.startedAt;
      this.calls.push(call);
      // Spread the callers out, as app requests are, rather than firing in lockstep.
      await sleep(5 + Math.random() * 10);
    }
  }
}
