// `deja <command> [flags]`: dispatch, help, and the one place errors become a line on stderr
// and an exit code.
import { DejaError, DejaStoreError } from '@deja/core';
import { parseFlags } from './args.js';
import type { Command, Io } from './command.js';
import { clearCommand } from './commands/clear.js';
import { demoCommand } from './commands/demo.js';
import { inspectCommand } from './commands/inspect.js';
import { searchCommand } from './commands/search.js';
import { statsCommand } from './commands/stats.js';
import { tuneCommand } from './commands/tune.js';
import { warmCommand } from './commands/warm.js';
import { DejaCliError, EXIT_CODES, type ExitCode } from './errors.js';

export const COMMANDS: readonly Command[] = [
  demoCommand,
  warmCommand,
  searchCommand,
  statsCommand,
  clearCommand,
  inspectCommand,
  tuneCommand,
];

export async function runCli(argv: string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const asked = name === 'help' ? rest[0] : undefined;
    const topic = COMMANDS.find((command) => command.name === asked);
    if (asked !== undefined && !topic) {
      io.stderr.write(
        `deja help: no command ${JSON.stringify(asked)}. Commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`,
      );
      return EXIT_CODES.usage;
    }
    io.stdout.write(topic ? commandHelp(topic) : mainHelp());
    return EXIT_CODES.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_CODES.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(
      `deja: unknown command ${JSON.stringify(name)}. Commands: ${COMMANDS.map((c) => c.name).join(', ')} (deja --help)\n`,
    );
    return EXIT_CODES.usage;
  }
  try {
    const parsed = parseFlags(command.name, command.flags, rest);
    if (parsed.help) {
      io.stdout.write(commandHelp(command));
      return EXIT_CODES.ok;
    }
    return await command.run(parsed.values, io);
  } catch (error) {
    io.stderr.write(`${errorLine(command.name, error, io.env)}\n`);
    return error instanceof DejaCliError ? error.exitCode : EXIT_CODES.failure;
  }
}

/** One line: "deja warm: <what went wrong>". Unexpected errors show their stack with DEJA_DEBUG=1. */
export function errorLine(command: string, error: unknown, env: Record<string, string | undefined>): string {
  if (DejaError.isInstance(error)) {
    if (error.message.startsWith(`deja ${command}`)) return error.message;
    const message = error.message.startsWith(`${command}: `)
      ? error.message.slice(command.length + 2)
      : error.message;
    return `deja ${command}: ${error instanceof DejaStoreError ? `Redis trouble: ${message}` : message}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack =
    env.DEJA_DEBUG && error instanceof Error && error.stack
      ? `\n${error.stack}`
      : ' (DEJA_DEBUG=1 shows the stack)';
  return `deja ${command}: unexpected error: ${message}${stack}`;
}

const VERSION = '0.1.0';

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'deja: exact and semantic LLM response cache on Redis',
    '',
    'Usage: deja <command> [flags]     deja <command> --help',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Redis comes from DEJA_REDIS_URL (or --redis URL); DEJA_KEY_PREFIX, DEJA_INDEX_NAME and the other',
    'DEJA_* variables of @deja/core loadConfig apply too. Start with: deja demo',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const flags = Object.entries(command.flags).map(([name, spec]) => {
    const left = `--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [left, `${spec.description}${spec.required ? ' (required)' : ''}`] as const;
  });
  const width = Math.max(...flags.map(([left]) => left.length), 0);
  return [
    `deja ${command.name}: ${command.summary}`,
    '',
    ...flags.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    ...(command.details ? ['', command.details] : []),
    '',
  ].join('\n');
}
