// Plain-text tables: padded columns, a header rule, numbers right-aligned. Cells may carry
// colour codes; widths are measured without them.
import { stripVTControlCharacters } from 'node:util';

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

export function renderTable(columns: Column[], rows: string[][], indent = ''): string {
  const widths = columns.map((column, i) =>
    Math.max(visibleLength(column.header), ...rows.map((row) => visibleLength(row[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, i) => pad(cell, widths[i] as number, columns[i]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const header = line(columns.map((column) => column.header));
  const rule = line(
    columns.map((column, i) => (column.header === '' ? '' : '-'.repeat(widths[i] as number))),
  );
  return [header, rule, ...rows.map(line)].join('\n');
}

export function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}

export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const padding = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'right' ? padding + text : text + padding;
}
