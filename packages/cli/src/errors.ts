// What the CLI reports as one clear line on stderr. DejaError subclasses, so `DejaError.isInstance`
// recognises them like every other deja error.
import { DejaError } from '@deja/core';

export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** 128 + SIGINT (2), what shells report for Ctrl-C. */
  interrupted: 130,
  /** 128 + SIGTERM (15). */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Something the user can fix (a missing table, an unreachable Redis): exit 1 with this message. */
export class DejaCliError extends DejaError {
  override readonly name: string = 'DejaCliError';
  readonly exitCode: ExitCode = EXIT_CODES.failure;
}

/** Bad flags or arguments: exit 2, with a pointer to --help. */
export class DejaUsageError extends DejaCliError {
  override readonly name: string = 'DejaUsageError';
  override readonly exitCode: ExitCode = EXIT_CODES.usage;
}
