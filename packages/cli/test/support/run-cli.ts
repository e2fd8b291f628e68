// Runs the BUILT `deja` (packages/cli/dist/bin.js) as a child process, as a user would. The
// tests never build: the README's test command builds first; a missing or stale build fails
// with a message that says how to build.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../../test/harness/redis-server.ts';

export const CLI_BIN = join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');
const CLI_SOURCE = join(REPO_ROOT, 'packages', 'cli', 'src');
const CORE_DIST = join(REPO_ROOT, 'packages', 'core', 'dist', 'index.js');
const HOW_TO_BUILD =
  'Build first: pnpm build (or pnpm --filter @deja/core run build && pnpm --filter @deja/cli run build).';

/** For beforeAll: fails with instructions when the CLI is not built, or older than its sources. */
export function assertBuilt(): void {
  for (const file of [CLI_BIN, CORE_DIST]) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: these tests run the built CLI. ${HOW_TO_BUILD}`);
  }
  const built = statSync(CLI_BIN).mtimeMs;
  const newer = sourceFiles(CLI_SOURCE).find((file) => statSync(file).mtimeMs > built);
  if (newer) throw new Error(`${newer} is newer than ${CLI_BIN}: the build is stale. ${HOW_TO_BUILD}`);
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The test process's environment without any deja or colour settings, plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(DEJA_|CACHE_)/.test(name) || name === 'FORCE_COLOR' || name === 'NO_COLOR')
      continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Written to stdin, which is then closed (stdin is never a terminal here). */
  input?: string;
}

export interface RunningCli {
  child: ChildProcess;
  result: Promise<CliResult>;
  /** Resolves once stdout or stderr (so far) matches `pattern`. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<string>;
}

export function startCli(args: string[], options: RunOptions = {}): RunningCli {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? cliEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      output[stream] += chunk;
      for (const listener of listeners) listener();
    });
  }
  child.stdin?.end(options.input ?? '');
  const result = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, ...output }));
  });
  return {
    child,
    result,
    waitFor(stream, pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output[stream]);
          if (!match) return false;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match[0]);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms; so far:\n${output[stream]}`));
        }, timeoutMs);
        if (!check()) listeners.add(check);
        void result.then(() => {
          if (listeners.has(check) && !check()) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(
              new Error(
                `deja exited before ${pattern} appeared on ${stream}:\n${output.stdout}\n${output.stderr}`,
              ),
            );
          }
        });
      });
    },
  };
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}
