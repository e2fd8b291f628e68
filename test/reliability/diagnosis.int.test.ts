// The real cause of a failed connection reaches the app at the first failure (issue 13, finding 7):
// onError, health().detail, ready() and strict mode's error all name it. Before, a wrong or missing
// password, a full server, a port that is not Redis and a closed door all read "init took longer
// than N ms" (after waiting it out), health said "The client is offline", ready() resolved anyway.
// Each case runs against a real redis-server or a real TCP server, stopped when the test ends.
import { createServer, type Server } from 'node:net';
import {
  type ConnectionFailure,
  createDeja,
  DejaConnectionError,
  type DejaErrorEvent,
  DejaStoreError,
} from '@deja/core';
import { createClient } from 'redis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../harness/redis-server.ts';
import { startServerForTest } from '../support/redis-servers.ts';

/** Long enough that a cause arriving "at the first failure" can never be a deadline in disguise. */
const INIT_TIMEOUT_MS = 60_000;

/** A TCP server for the running test, closed when it ends. */
async function tcpServerForTest(onSocket: Parameters<typeof createServer>[1]): Promise<number> {
  const server: Server = createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return address.port;
}

/** A plain Redis that wants `password` (set after start: the harness waits for an open PING). */
async function passwordRedis(password: string) {
  const server = await startServerForTest({ kind: 'plain' });
  const admin = createClient({ url: server.url });
  await admin.connect();
  await admin.configSet('requirepass', password);
  admin.destroy();
  return server;
}

interface Case {
  title: string;
  reason: ConnectionFailure;
  /** What the message must show of the server's own words. */
  shows: RegExp;
  url(): Promise<string>;
}

const CASES: Case[] = [
  {
    title: 'a wrong password',
    reason: 'wrong-password',
    shows: /WRONGPASS/,
    url: async () => (await passwordRedis('right')).url.replace('redis://', 'redis://:wrong@'),
  },
  {
    title: 'no password where one is required',
    reason: 'password-required',
    shows: /NOAUTH/,
    url: async () => (await passwordRedis('right')).url,
  },
  {
    title: 'maxclients reached',
    reason: 'max-clients',
    shows: /max number of clients/,
    url: async () => {
      const server = await startServerForTest({ kind: 'plain', args: ['--maxclients', '1'] });
      const hog = createClient({ url: server.url });
      await hog.connect();
      onTestFinished(() => hog.destroy());
      return server.url;
    },
  },
  {
    title: 'a port that speaks HTTP',
    reason: 'not-redis',
    shows: /HTTP|protocol/i,
    url: async () => {
      const port = await tcpServerForTest((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
      });
      return `redis://127.0.0.1:${port}`;
    },
  },
  {
    title: 'a port that closes every connection',
    reason: 'closed',
    shows: /closed/i,
    url: async () => {
      const port = await tcpServerForTest((socket) => socket.destroy());
      return `redis://127.0.0.1:${port}`;
    },
  },
  {
    title: 'a port where nothing listens',
    reason: 'refused',
    shows: /ECONNREFUSED/,
    url: async () => `redis://127.0.0.1:${await freePort()}`,
  },
];

describe('connection failures name their cause at the first failure', () => {
  it.each(CASES)('$title', async ({ reason, shows, url: makeUrl }) => {
    const url = await makeUrl();
    const events: DejaErrorEvent[] = [];
    const deja = createDeja({
      redis: { url },
      initTimeoutMs: INIT_TIMEOUT_MS,
      statsFlushMs: 0,
      onError: (event) => events.push(event),
    });
    onTestFinished(() => deja.close());

    // ready() says the store is not usable, and did not wait out its deadline to say so.
    expect(await deja.ready()).toBe(false);
    expect(events.length).toBeGreaterThan(0);
    const first = events[0] as DejaErrorEvent;
    expect(first.kind).toBe('store');
    expect(first.operation).toBe('init');
    expect(first.error).toBeInstanceOf(DejaConnectionError);
    const cause = first.error as DejaConnectionError;
    expect(cause.reason).toBe(reason);
    expect(cause.message).toMatch(shows);
    expect(events.some((event) => event.kind === 'timeout')).toBe(false);
    // The URL's password never shows up in what is reported.
    expect(cause.message).not.toMatch(/wrong@|:wrong/);

    const health = await deja.health();
    expect(health).toMatchObject({ connected: false, ready: false });
    expect(health.detail).toMatch(shows);

    // A lookup is a miss, not an exception.
    expect(await deja.tenant('t').responses.lookup({ key: 'question' })).toBeUndefined();

    // Strict mode throws the cause itself.
    const strict = createDeja({
      redis: { url },
      initTimeoutMs: INIT_TIMEOUT_MS,
      statsFlushMs: 0,
      strict: true,
    });
    onTestFinished(() => strict.close());
    const failure = await strict.ready().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DejaStoreError);
    expect(failure).toBeInstanceOf(DejaConnectionError);
    expect((failure as DejaConnectionError).reason).toBe(reason);
    expect(String((failure as Error).message)).toMatch(shows);
  });

  it('ready() resolves true on a healthy Redis', async () => {
    const server = await startServerForTest({ kind: 'plain' });
    const deja = createDeja({ redis: { url: server.url }, statsFlushMs: 0 });
    onTestFinished(() => deja.close());
    expect(await deja.ready()).toBe(true);
    expect((await deja.health()).ready).toBe(true);
  });
});
