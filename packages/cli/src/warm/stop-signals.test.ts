import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../errors.js';
import { exitCodeOf, type StopSignal, StopSignals } from './stop-signals.js';

let signals: StopSignals | undefined;
afterEach(() => signals?.dispose());

describe('StopSignals', () => {
  it('asks to stop on the first signal and abandons on the second', () => {
    const events: string[] = [];
    signals = new StopSignals(
      (signal) => events.push(`first ${signal}`),
      (signal) => events.push(`second ${signal}`),
    );
    const listenersBefore = process.listenerCount('SIGINT');
    signals.install();
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore + 1);
    process.emit('SIGTERM');
    expect(signals.requested).toBe<StopSignal>('SIGTERM');
    process.emit('SIGINT');
    expect(events).toEqual(['first SIGTERM', 'second SIGINT']);
    signals.dispose();
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore);
  });

  it('maps signals to the exit codes shells use', () => {
    expect(exitCodeOf('SIGINT')).toBe(EXIT_CODES.interrupted);
    expect(exitCodeOf('SIGTERM')).toBe(143);
  });
});
