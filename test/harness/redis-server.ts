// Starts real Redis servers for tests and benchmarks: Redis Stack (with the Query Engine), plain
// Redis 7, or Redis 8 (vector sets, no Query Engine), on a free loopback port, installed into
// .deja/ by scripts/install-redis.sh (Stack, plain) and scripts/install-redis8.sh (Redis 8).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type RedisKind = 'stack' | 'plain' | 'redis8';

/** Where each kind's install is described, and the script that writes it. */
export const INSTALLS = {
  stack: {
    envFile: join(REPO_ROOT, '.deja', 'redis.env'),
    prefix: 'REDIS_STACK',
    script: 'install-redis.sh',
  },
  plain: {
    envFile: join(REPO_ROOT, '.deja', 'redis.env'),
    prefix: 'REDIS_PLAIN',
    script: 'install-redis.sh',
  },
  redis8: { envFile: join(REPO_ROOT, '.deja', 'redis8.env'), prefix: 'REDIS8', script: 'install-redis8.sh' },
} as const satisfies Record<RedisKind, { envFile: string; prefix: string; script: string }>;

/** An install's KEY=VALUE file (values unquoted, may hold spaces: parsed, never sourced). */
export function readEnvFile(kind: RedisKind): Map<string, string> {
  const { envFile, script } = INSTALLS[kind];
  if (!existsSync(envFile)) {
    throw new HarnessError(
      `No ${kind} Redis installed (${envFile} is missing). Run ./scripts/test.sh, or bash scripts/${script}, ` +
        'or point DEJA_TEST_REDIS_STACK_URL / DEJA_TEST_REDIS_URL / DEJA_TEST_REDIS8_URL at your own servers.',
    );
  }
  return new Map(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
  );
}

export interface RedisServerOptions {
  kind: RedisKind;
  /** Extra `redis-server` arguments, e.g. ['--maxmemory', '2mb']. */
  args?: string[];
  /** Fixed port (to restart a server where it was); a free one by default. */
  port?: number;
}

export interface RunningRedis {
  kind: RedisKind;
  url: string;
  port: number;
  pid: number;
  /** SIGSTOP: the server keeps its sockets but answers nothing. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** Stops the server (SIGKILL when `hard`), resolving once the process has exited. */
  stop(hard?: boolean): Promise<void>;
}

export class HarnessError extends Error {}

interface InstalledServer {
  binary: string;
  args: string[];
  libraryPath: string;
}

function readInstall(kind: RedisKind): InstalledServer {
  const env = readEnvFile(kind);
  const { envFile, prefix, script } = INSTALLS[kind];
  const binary = env.get(`${prefix}_SERVER`);
  if (!binary || !existsSync(binary)) {
    throw new HarnessError(
      `${prefix}_SERVER in ${envFile} does not name a binary; rerun bash scripts/${script}`,
    );
  }
  return {
    binary,
    // Redis 8's are the arguments of trixie's loader (library path, argv0, the server binary).
    args: (env.get(`${prefix}_ARGS`) ?? '').split(' ').filter(Boolean),
    libraryPath: env.get(`${prefix}_LD_LIBRARY_PATH`) ?? '',
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Resolves once the server answers PING with PONG. */
export async function waitForPong(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new HarnessError(`Redis on 127.0.0.1:${port} did not answer PING within ${timeoutMs} ms`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * The test run's last line of defence: every server started during a vitest run leaves its pid in
 * the directory global-setup names (DEJA_TEST_SERVER_REGISTRY) until it exits, and global-setup's
 * teardown kills whatever is still listed there — even a server whose worker process was killed
 * before its own cleanup could run. Outside a test run (the bench) nothing is written.
 */
export const SERVER_REGISTRY_ENV = 'DEJA_TEST_SERVER_REGISTRY';

function register(pid: number | undefined): { remove(): void } | undefined {
  const directory = process.env[SERVER_REGISTRY_ENV];
  if (!directory || pid === undefined) return undefined;
  const file = join(directory, String(pid));
  writeFileSync(file, '');
  return { remove: () => rmSync(file, { force: true }) };
}

export async function startRedisServer(options: RedisServerOptions): Promise<RunningRedis> {
  const install = readInstall(options.kind);
  const port = options.port ?? (await freePort());
  const child = spawn(
    install.binary,
    [
      ...install.args,
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      join(REPO_ROOT, '.deja'),
      '--dbfilename',
      `test-${port}.rdb`,
      ...(options.args ?? []),
    ],
    {
      env: { ...process.env, LD_LIBRARY_PATH: install.libraryPath },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  running.add(child);
  const registered = register(child.pid);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => {
    running.delete(child);
    registered?.remove();
  });
  try {
    await Promise.race([
      waitForPong(port),
      exited.then(() => {
        throw new HarnessError(`${options.kind} redis-server exited at start: ${stderr.trim()}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    kind: options.kind,
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
    async stop(hard = false) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill(hard ? 'SIGKILL' : 'SIGTERM');
      await exited;
    },
  };
}
