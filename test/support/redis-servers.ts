// Redis servers a test starts for itself, stopped when they are no longer needed WHETHER OR NOT
// the test's assertions passed: a failed assertion must never leave a redis-server running.
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { type RedisServerOptions, type RunningRedis, startRedisServer } from '../harness/redis-server.ts';

/**
 * Starts a server for the running test only; it is stopped when the test finishes (passed,
 * failed or timed out). Call it inside `it(...)`.
 */
export async function startServerForTest(options: RedisServerOptions): Promise<RunningRedis> {
  const server = await startRedisServer(options);
  onTestFinished(() => server.stop());
  return server;
}

/** What `serverPerSuite` hands out: the suite's current server, replaceable by a restart. */
export interface SuiteServer {
  /** The server started in beforeAll (throws before then). */
  readonly current: RunningRedis;
  /** Stops the server (hard: SIGKILL) and starts a new one on the same port. */
  restart(options?: { hard?: boolean; downMs?: number }): Promise<RunningRedis>;
}

/**
 * One server for every test of the enclosing describe: started in beforeAll, stopped in afterAll
 * (which runs even when tests fail). Call it at describe level, not inside a test.
 */
export function serverPerSuite(options: RedisServerOptions): SuiteServer {
  let server: RunningRedis | undefined;
  beforeAll(async () => {
    server = await startRedisServer(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get current() {
      if (!server) throw new Error('serverPerSuite: the server is started in beforeAll');
      return server;
    },
    async restart({ hard = false, downMs = 0 } = {}) {
      const port = this.current.port;
      await this.current.stop(hard);
      server = undefined;
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await startRedisServer({ ...options, port });
      return server;
    },
  };
}
