// The installed Redis binaries (.deja/redis.env, written by scripts/install-redis.sh) and a
// redis-cli runner, for tests that talk to a server the way an operator (or an attacker) would.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError, REPO_ROOT, type RedisKind } from './redis-server.ts';

export interface RedisTools {
  server: string;
  cli: string;
  /** LD_LIBRARY_PATH the binaries need. */
  libraryPath: string;
}

export function redisTools(kind: RedisKind): RedisTools {
  const envFile = join(REPO_ROOT, '.deja', 'redis.env');
  if (!existsSync(envFile))
    throw new HarnessError(
      `No Redis servers installed (${envFile} is missing): run bash scripts/install-redis.sh`,
    );
  const env = new Map(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
  );
  const prefix = kind === 'stack' ? 'REDIS_STACK' : 'REDIS_PLAIN';
  const tools = {
    server: env.get(`${prefix}_SERVER`) ?? '',
    cli: env.get(`${prefix}_CLI`) ?? '',
    libraryPath: env.get(`${prefix}_LD_LIBRARY_PATH`) ?? '',
  };
  for (const binary of [tools.server, tools.cli]) {
    if (!binary || !existsSync(binary))
      throw new HarnessError(
        `${prefix}_SERVER/_CLI in ${envFile} name no binary; rerun bash scripts/install-redis.sh`,
      );
  }
  return tools;
}

/**
 * Runs `redis-cli -p port ...args` and returns its raw output. With `stdin`, the last argument is
 * read from it (`-x`), which is how binary values are written.
 */
export function redisCli(
  kind: RedisKind,
  port: number,
  args: string[],
  options: { stdin?: Uint8Array } = {},
): Promise<string> {
  const tools = redisTools(kind);
  const cliArgs = ['-h', '127.0.0.1', '-p', String(port), ...(options.stdin ? ['-x'] : []), ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(
      tools.cli,
      cliArgs,
      { env: { ...process.env, LD_LIBRARY_PATH: tools.libraryPath }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new HarnessError(`redis-cli ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(options.stdin ? Buffer.from(options.stdin) : undefined);
  });
}
