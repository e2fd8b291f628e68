import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatInteger,
  formatPercent,
  formatShare,
  formatUsd,
  truncate,
} from './numbers.js';

describe('number formats', () => {
  it('groups integers and rounds fractions', () => {
    expect(formatInteger(1234567.6)).toBe('1,234,568');
    expect(formatPercent(0.4567)).toBe('45.7 %');
    expect(formatPercent(1)).toBe('100.0 %');
  });

  it('shows a share of nothing as a dash, not as 0 %', () => {
    expect(formatShare(3, 13)).toBe('23.1 %');
    expect(formatShare(0, 2)).toBe('0.0 %');
    expect(formatShare(0, 0)).toBe('–');
  });

  it('shows durations in the unit a person expects', () => {
    expect(formatDuration(0.42)).toBe('0.4 ms');
    expect(formatDuration(712.4)).toBe('712 ms');
    expect(formatDuration(4_321)).toBe('4.3 s');
    expect(formatDuration(125_000)).toBe('2:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });

  it('shows every dollar amount to a hundredth of a cent', () => {
    expect(formatUsd(0)).toBe('$0.0000');
    expect(formatUsd(0.00017)).toBe('$0.0002');
    expect(formatUsd(0.0016)).toBe('$0.0016');
    expect(formatUsd(0.5)).toBe('$0.5000');
    expect(formatUsd(1234.5)).toBe('$1,234.5000');
  });

  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(15_444_248)).toBe('14.7 MB');
  });

  it('truncates with an ellipsis and flattens whitespace', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a\nmulti  line text', 12)).toBe('a multi lin…');
    expect(truncate('abcdef', 3)).toHaveLength(3);
  });
});
