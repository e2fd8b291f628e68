import { describe, expect, it } from 'vitest';
import { colorEnabled, styleFor } from './style.js';

const terminal = { isTTY: true, write: () => true };
const pipe = { isTTY: false, write: () => true };

describe('styleFor', () => {
  it('colours a terminal, and nothing else', () => {
    expect(styleFor(terminal, {}).green('hit')).toBe('\u001b[32mhit\u001b[39m');
    expect(styleFor(pipe, {}).green('hit')).toBe('hit');
  });

  it('follows NO_COLOR, FORCE_COLOR and TERM=dumb', () => {
    expect(colorEnabled(terminal, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(terminal, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: '0' })).toBe(false);
  });
});
