import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDTH, terminalWidth, wrapText } from './terminal-width.js';

describe('terminalWidth', () => {
  it("takes a terminal's own width, then $COLUMNS, then the default", () => {
    expect(terminalWidth({ write: () => true, isTTY: true, columns: 80 }, { COLUMNS: '120' })).toBe(80);
    expect(terminalWidth({ write: () => true }, { COLUMNS: '80' })).toBe(80);
    expect(terminalWidth({ write: () => true }, { COLUMNS: 'wide' })).toBe(DEFAULT_WIDTH);
    expect(terminalWidth({ write: () => true }, {})).toBe(DEFAULT_WIDTH);
    expect(terminalWidth({ write: () => true }, { COLUMNS: '20' })).toBe(60);
  });
});

describe('wrapText', () => {
  it('keeps every line within the width, with a hanging indent', () => {
    const text = 'entries from similarity 0.60 are candidates, and only within the same tenant and model';
    const wrapped = wrapText(text, 40, '  match     ', '            ');
    for (const line of wrapped.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
    expect(wrapped.split('\n')[0]).toBe('  match     entries from similarity 0.60');
    expect(wrapped.split('\n')[1]?.startsWith('            are')).toBe(true);
    expect(wrapped.replace(/\s+/g, ' ')).toBe(`  match ${text}`.replace(/\s+/g, ' '));
  });
});
