import { styleText } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pad, renderTable, visibleLength } from './table.js';

describe('renderTable', () => {
  it('pads columns to the widest cell, right-aligns numbers, and rules the header', () => {
    const table = renderTable(
      [{ header: 'name' }, { header: 'count', align: 'right' }],
      [
        ['acme', '3'],
        ['globex', '1,200'],
      ],
    );
    expect(table.split('\n')).toEqual(['name    count', '------  -----', 'acme        3', 'globex  1,200']);
  });

  it('measures cells without their colour codes', () => {
    const green = styleText('green', 'EXACT', { validateStream: false });
    expect(visibleLength(green)).toBe(5);
    expect(visibleLength(pad(green, 8))).toBe(8);
    const table = renderTable([{ header: 'result' }, { header: 'x' }], [[green, 'y']]);
    expect(table.split('\n')[2]?.endsWith('  y')).toBe(true);
  });

  it('leaves an unnamed column without a rule', () => {
    const table = renderTable([{ header: 'a' }, { header: '' }], [['1', 'note']]);
    expect(table.split('\n')[1]).toBe('-');
  });
});
