// Drives bench/redisvl-worker.py (RedisVL in the bench-local Python venv) over JSON lines.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const BENCH_DIR = join(import.meta.dirname, '..');
/** Made by scripts/bench.sh (under .deja/: git-ignored, and outside Biome's reach). */
const PYTHON = join(BENCH_DIR, '..', '.deja', 'bench', 'venv', 'bin', 'python');

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface RedisVl {
  call<T>(op: string, request?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export function startRedisVl(): RedisVl {
  if (!existsSync(PYTHON)) {
    throw new Error(`No bench venv at ${PYTHON}: run ./scripts/bench.sh, which creates it with RedisVL`);
  }
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [join(BENCH_DIR, 'redisvl-worker.py')], {
    env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', PYTHONUNBUFFERED: '1' },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as Reply;
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.result);
    else waiter?.reject(new Error(`RedisVL worker: ${reply.error}`));
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      for (const waiter of pending.values())
        waiter.reject(new Error(`RedisVL worker exited (${code}): ${stderr}`));
      pending.clear();
      resolve();
    }),
  );
  return {
    call<T>(op: string, request: Record<string, unknown> = {}) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.stdin.write(`${JSON.stringify({ ...request, id, op })}\n`);
      });
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
