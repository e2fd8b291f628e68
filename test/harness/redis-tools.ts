// The installed Redis binaries (.deja/redis.env and .deja/redis8.env, written by
// scripts/install-redis.sh and scripts/install-redis8.sh) and a redis-cli runner, for tests that
// talk to a server the way an operator (or an attacker) would.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HarnessError, INSTALLS, type RedisKind, readEnvFile } from './redis-server.ts';

export interface RedisTools {
  server: string;
  cli: string;
  /** Arguments before redis-cli's own (Redis 8: trixie's loader runs the cli, these name it). */
  cliArgs: string[];
  /** LD_LIBRARY_PATH the binaries need. */
  libraryPath: string;
}

export function redisTools(kind: RedisKind): RedisTools {
  const env = readEnvFile(kind);
  const { envFile, prefix, script } = INSTALLS[kind];
  const tools = {
    server: env.get(`${prefix}_SERVER`) ?? '',
    cli: env.get(`${prefix}_CLI`) ?? '',
    cliArgs: (env.get(`${prefix}_CLI_ARGS`) ?? '').split(' ').filter(Boolean),
    libraryPath: env.get(`${prefix}_LD_LIBRARY_PATH`) ?? '',
  };
  for (const binary of [tools.server, tools.cli]) {
    if (!binary || !existsSync(binary))
      throw new HarnessError(
        `${prefix}_SERVER/_CLI in ${envFile} name no binary; rerun bash scripts/${script}`,
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
  const cliArgs = [
    ...tools.cliArgs,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    ...(options.stdin ? ['-x'] : []),
    ...args,
  ];
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
