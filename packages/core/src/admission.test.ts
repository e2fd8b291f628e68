import { describe, expect, it } from 'vitest';
import { Admission } from './admission.js';

describe('Admission.idle', () => {
  it('resolves at once with nothing in flight, else when the last operation (queued ones included) leaves', async () => {
    const admission = new Admission({ maxInFlight: 1, maxQueued: 1 });
    await admission.idle();
    expect(admission.enter()).toBe(true);
    const queued = admission.enter();
    expect(queued).toBeInstanceOf(Promise);
    let idle = false;
    const waiting = admission.idle().then(() => {
      idle = true;
    });
    admission.leave(); // the slot passes to the queued operation
    await queued;
    await Promise.resolve();
    expect(idle).toBe(false);
    admission.leave();
    await waiting;
    expect(idle).toBe(true);
  });
});
