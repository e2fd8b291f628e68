// How wide the output may be: the terminal's width when stdout is one, else $COLUMNS, else 100
// (a pipe or a log has no width; 100 is what the README's samples are laid out for).
import type { OutputStream } from '../command.js';

export const DEFAULT_WIDTH = 100;
/** Narrower than this, nothing can be laid out sensibly: lay out for this and let the terminal wrap. */
export const MIN_WIDTH = 60;

export function terminalWidth(stream: OutputStream, env: Record<string, string | undefined>): number {
  const fromEnv = Number(env.COLUMNS);
  const width =
    stream.isTTY && stream.columns && stream.columns > 0
      ? stream.columns
      : Number.isInteger(fromEnv) && fromEnv > 0
        ? fromEnv
        : DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, width);
}

/**
 * Words of `text` in lines of at most `width` characters: the first line starts with `first`, the
 * others with `rest` (a hanging indent). A word longer than a line gets a line of its own.
 */
export function wrapText(text: string, width: number, first = '', rest = first): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}
