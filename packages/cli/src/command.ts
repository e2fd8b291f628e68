// The shape of one `deja` command, and the streams it talks to (process streams in the bin,
// in-memory ones in unit tests).
import type { FlagSpecs, FlagValues } from './args.js';
import type { ExitCode } from './errors.js';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Where relative paths (--sqlite, --pairs, --out) are resolved. */
  cwd: string;
}

export interface Command<Specs extends FlagSpecs = FlagSpecs> {
  name: string;
  /** One line for `deja --help`. */
  summary: string;
  /** Extra help text after the flag list (environment, examples). */
  details?: string;
  flags: Specs;
  run(flags: FlagValues<Specs>, io: Io): Promise<ExitCode>;
}

/** Keeps each command's flag types while letting the registry hold them all. */
export function defineCommand<Specs extends FlagSpecs>(command: Command<Specs>): Command {
  return command as unknown as Command;
}
