// Colour only for people: a terminal that is not "dumb" and no NO_COLOR. Pipes, files and CI
// logs get plain text (FORCE_COLOR turns colour back on).
import { styleText } from 'node:util';
import type { OutputStream } from '../command.js';

type Format = Parameters<typeof styleText>[0];

export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

export function colorEnabled(stream: OutputStream, env: Record<string, string | undefined>): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function styleFor(stream: OutputStream, env: Record<string, string | undefined>): Style {
  const enabled = colorEnabled(stream, env);
  const paint = (format: Format) => (text: string) =>
    enabled ? styleText(format, text, { validateStream: false }) : text;
  return {
    enabled,
    bold: paint('bold'),
    dim: paint('dim'),
    green: paint('green'),
    yellow: paint('yellow'),
    red: paint('red'),
    cyan: paint('cyan'),
  };
}
