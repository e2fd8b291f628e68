// Prints the table and writes results/<file>.json (flat: machine + figures) and results/<file>.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from './machine.ts';
import { BENCH_DIR } from './redisvl.ts';
import type { Block, Figure, Results } from './results.ts';

export interface ReportInput {
  results: Results;
  machine: Machine;
  runtimeS: number;
  sections: string[];
  quick: boolean;
  file: 'latest' | 'partial';
}

function format(value: Figure['value']): string {
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return String(value);
}

function blockLines(block: Block): string[] {
  const widths = block.header.map((title, i) =>
    Math.max(title.length, ...block.rows.map((cells) => (cells[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `    ${cells.map((cell, i) => cell.padStart(widths[i] as number)).join('  ')}`;
  return [`  ${block.title}`, line(block.header), ...block.rows.map(line)];
}

function sections(results: Results): string[] {
  return [
    ...new Set([
      ...results.figures.map((figure) => figure.section),
      ...results.blocks.map((block) => block.section),
    ]),
  ];
}

function table(results: Results): string[] {
  const listed = results.figures.filter((figure) => figure.listed);
  const width = Math.max(...listed.map((figure) => figure.name.length));
  const valueWidth = Math.max(...listed.map((figure) => format(figure.value).length));
  const lines: string[] = [];
  for (const section of sections(results)) {
    lines.push('', section);
    for (const figure of listed.filter((item) => item.section === section)) {
      lines.push(
        `  ${figure.name.padEnd(width)}  ${format(figure.value).padStart(valueWidth)}  ${figure.about}`,
      );
    }
    for (const block of results.blocks.filter((item) => item.section === section))
      lines.push(...blockLines(block));
  }
  return lines;
}

function markdown(input: ReportInput): string {
  const { results, machine, runtimeS } = input;
  const lines = [
    '# deja benchmark results',
    '',
    `Run ${new Date().toISOString()}, ${runtimeS} s in all (\`./scripts/bench.sh\`; figures in \`latest.json\`).`,
    '',
    '## Machine',
    '',
    ...Object.entries(machine).map(([name, value]) => `- ${name}: ${value}`),
  ];
  for (const section of sections(results)) {
    lines.push('', `## ${section}`, '', '| figure | value | what |', '| --- | ---: | --- |');
    for (const figure of results.figures.filter((item) => item.section === section && item.listed)) {
      lines.push(`| \`${figure.name}\` | ${format(figure.value)} | ${figure.about} |`);
    }
    for (const block of results.blocks.filter((item) => item.section === section)) {
      lines.push(
        '',
        `${block.title}:`,
        '',
        `| ${block.header.join(' | ')} |`,
        `| ${block.header.map(() => '---:').join(' | ')} |`,
      );
      for (const cells of block.rows) lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  if (results.notes.length > 0) lines.push('', '## Notes', '', ...results.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}

export function writeReport(input: ReportInput): void {
  const { results, machine, runtimeS } = input;
  console.log(table(results).join('\n'));
  console.log(`\nmachine: ${Object.values(machine).join(' | ')}\nruntime: ${runtimeS} s`);
  const directory = join(BENCH_DIR, 'results');
  mkdirSync(directory, { recursive: true });
  const flat = {
    run_at: new Date().toISOString(),
    runtime_s: runtimeS,
    quick: input.quick,
    sections: input.sections.join(','),
    ...machine,
    ...results.flat(),
  };
  writeFileSync(join(directory, `${input.file}.json`), `${JSON.stringify(flat, null, 2)}\n`);
  writeFileSync(join(directory, `${input.file}.md`), markdown(input));
  console.log(`wrote ${join(directory, `${input.file}.json`)} and .md`);
}
