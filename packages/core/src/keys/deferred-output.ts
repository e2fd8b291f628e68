// Canonical text whose long strings are escaped later, a slice at a time, with the event loop
// free between slices. Walking a key's structure is cheap; escaping and hashing a 5 MB prompt is
// not (tens of ms in one stretch), so the walk records long strings as they are and `drain`
// does the expensive part in slices of STRING_SLICE characters, yielding to the loop after
// every YIELD_EVERY characters it handed on.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  BudgetedOutput,
  escapedSlices,
  MAX_KEY_LENGTH,
  refuseLength,
  STRING_SLICE,
} from './canonical-output.js';

/** Characters escaped or handed on between two yields to the event loop (a few ms of work). */
export const YIELD_EVERY = STRING_SLICE;

/** Plain canonical text, or a long string value still to be quoted and escaped. */
type Segment = string | { value: string };

export class DeferredOutput extends BudgetedOutput {
  private readonly segments: Segment[] = [];
  private pending: string[] = [];
  private pendingLength = 0;
  /** Characters the escapes of drained long strings added to their raw length. */
  private escapes = 0;

  protected emit(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    // A key of many small parts is handed on in pieces too, so its hash yields between them.
    if (this.pendingLength >= STRING_SLICE) this.flushPending();
  }

  override writeString(value: string): void {
    // Inside a Map or Set the text is sorted at once; short strings cost nothing to escape now.
    if (this.capturing || value.length < STRING_SLICE) {
      super.writeString(value);
      return;
    }
    // The raw length and the quotes now (escaping only adds), the escapes when drained, so the
    // walk stops early on an absurd key and the exact MAX_KEY_LENGTH still holds.
    this.count(value.length + 2);
    this.flushPending();
    this.segments.push({ value });
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    this.segments.push(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }

  /**
   * (Once per output.) Hands the canonical text to `sink` in order, yielding to the event loop between slices;
   * stops (without finishing the text) once `sink` returns false. Throws DejaInputError when the
   * escaped text is longer than MAX_KEY_LENGTH.
   */
  async drain(sink: (text: string) => boolean | undefined): Promise<void> {
    this.flushPending();
    let sinceYield = 0;
    for (const segment of this.segments) {
      if (typeof segment === 'string') {
        if (sink(segment) === false) return;
        sinceYield += segment.length;
      } else {
        if (sink('"') === false) return;
        let escaped = 0;
        for (const slice of escapedSlices(segment.value)) {
          escaped += slice.length;
          // The raw length is already counted; what escaping adds so far is at least this.
          const added = Math.max(0, escaped - segment.value.length);
          if (this.length + this.escapes + added > MAX_KEY_LENGTH) refuseLength();
          if (sink(slice) === false) return;
          sinceYield += slice.length;
          if (sinceYield >= YIELD_EVERY) {
            await yieldToLoop();
            sinceYield = 0;
          }
        }
        this.escapes += escaped - segment.value.length;
        if (sink('"') === false) return;
      }
      if (sinceYield >= YIELD_EVERY) {
        await yieldToLoop();
        sinceYield = 0;
      }
    }
  }

  /** Characters of canonical text: exact once drained, else without the undrained escapes. */
  get textLength(): number {
    return this.length + this.escapes;
  }
}
