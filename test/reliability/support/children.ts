// Child processes for tests that need several deja processes (or one to kill): each runs a script
// from ../children with deja's TypeScript sources, gets its settings as JSON in argv, talks back in
// JSON lines on stdout and may wait for a 'go' line on stdin so that several start at once.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILDREN = join(HERE, '..', 'children');

export interface ChildMessage {
  type: string;
  [field: string]: unknown;
}

export interface RunningChild {
  process: ChildProcess;
  messages: ChildMessage[];
  /** Resolves with the first message of `type` (already received or still to come). */
  message(type: string, timeoutMs?: number): Promise<ChildMessage>;
  /** Sends the 'go' line a child waits for before its main work. */
  go(): void;
  kill(signal?: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function startChild(script: string, settings: unknown): RunningChild {
  const child = spawn(
    process.execPath,
    [
      // As in the tests: workspace packages resolve to their sources, which use TypeScript
      // parameter properties (so types are transformed, not just stripped).
      '--conditions=@deja/source',
      '--experimental-transform-types',
      '--disable-warning=ExperimentalWarning',
      '--import',
      join(HERE, 'source-hooks.ts'),
      join(CHILDREN, script),
      JSON.stringify(settings),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], cwd: join(HERE, '..', '..', '..') },
  );
  running.add(child);
  // A child outlives nothing it was started for: when the test ends (passed or failed), one still
  // running is killed, so a failed assertion never leaves a deja process writing to Redis.
  onTestFinished(() => {
    if (running.has(child)) child.kill('SIGKILL');
  });
  const messages: ChildMessage[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let closed = false;
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      messages.push(JSON.parse(line) as ChildMessage);
    } catch {
      messages.push({ type: 'text', line });
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) =>
      // 'close', not 'exit': every line of stdout has been read by then.
      child.once('close', (code, signal) => {
        running.delete(child);
        closed = true;
        for (const wake of waiters) wake();
        resolve({ code, signal, stderr });
      }),
  );
  return {
    process: child,
    messages,
    message(type, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`child ${script} sent no '${type}' within ${timeoutMs} ms; stderr:\n${stderr}`));
        }, timeoutMs);
        const check = () => {
          const found = messages.find((message) => message.type === type);
          if (found || closed) {
            clearTimeout(timer);
            waiters.delete(check);
            if (found) resolve(found);
            else reject(new Error(`child ${script} exited before '${type}'; stderr:\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    go: () => child.stdin?.end('go\n'),
    kill: (signal = 'SIGKILL') => child.kill(signal),
    exited,
  };
}
