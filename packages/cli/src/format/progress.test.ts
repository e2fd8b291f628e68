import { describe, expect, it } from 'vitest';
import { ProgressReporter, progressBar, progressText } from './progress.js';

const collect = (isTTY: boolean) => {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) }, writes };
};

describe('progress', () => {
  it('says done, total, percent, rate and ETA', () => {
    expect(progressText({ done: 1_500, total: 3_000, elapsedMs: 1_000 })).toBe(
      '1,500/3,000 rows  50.0 %  1,500 rows/s  ETA 1.0 s',
    );
    expect(progressText({ done: 3_000, total: 3_000, elapsedMs: 2_000 })).toContain('done');
    expect(progressText({ done: 0, total: 10, elapsedMs: 0 })).toContain('ETA …');
  });

  it('draws a bar of fixed width', () => {
    expect(progressBar(0.5, 10)).toBe('[#####.....]');
    expect(progressBar(2, 4)).toBe('[####]');
  });

  it('prints a plain line at each 10% when the output is not a terminal', () => {
    let now = 0;
    const { stream, writes } = collect(false);
    const progress = new ProgressReporter(stream, 1_000, 'warm', () => now);
    for (let done = 50; done <= 1_000; done += 50) {
      now += 10;
      progress.update(done);
    }
    progress.finish();
    expect(writes).toHaveLength(10);
    expect(writes[0]).toMatch(/^warm: 100\/1,000 rows {2}10\.0 %/);
    expect(writes.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
  });

  it('prints a plain line after 10 s of slow progress too', () => {
    let now = 0;
    const { stream, writes } = collect(false);
    const progress = new ProgressReporter(stream, 1_000_000, 'warm', () => now);
    progress.update(10);
    now = 10_001;
    progress.update(20);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toContain('20/1,000,000');
  });

  it('redraws one line on a terminal, at most every 100 ms, and ends it', () => {
    let now = 0;
    const { stream, writes } = collect(true);
    const progress = new ProgressReporter(stream, 100, 'warm', () => now);
    progress.update(10);
    now = 50;
    progress.update(20);
    now = 150;
    progress.update(30);
    progress.finish();
    expect(writes).toHaveLength(3);
    expect(writes.every((line) => line.startsWith('\r'))).toBe(true);
    expect(writes[2]).toMatch(/\[#{8}\.{20}\] 30\/100 rows.*\n$/);
  });
});
