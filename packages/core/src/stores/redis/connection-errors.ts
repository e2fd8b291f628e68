// What went wrong with a Redis connection, in words an operator can act on. node-redis reports a
// wrong password, a full server, a port that is not Redis and a closed door as 'error' events
// and then retries for ever; without this, all of them looked like "init took longer than N ms".
import { CONNECTION_FAILURES, type ConnectionFailure, DejaConnectionError } from '../../errors.js';

const RULES: { reason: ConnectionFailure; test: (error: NodeError) => boolean; advice: string }[] = [
  {
    reason: CONNECTION_FAILURES.wrongPassword,
    test: (error) => /^WRONGPASS/.test(error.message),
    advice: 'Redis refused the username or password: check the credentials in the URL',
  },
  {
    reason: CONNECTION_FAILURES.passwordRequired,
    test: (error) => /^NOAUTH/.test(error.message),
    advice: 'Redis requires a password and none was given: put it in the URL (redis://:password@host)',
  },
  {
    reason: CONNECTION_FAILURES.maxClients,
    test: (error) => /max(imum)? number of clients reached/i.test(error.message),
    advice: "Redis has reached its 'maxclients' limit and refuses new connections",
  },
  {
    reason: CONNECTION_FAILURES.refused,
    test: (error) => error.code === 'ECONNREFUSED',
    advice: 'nothing accepts connections there (is Redis running, on that host and port?)',
  },
  {
    reason: CONNECTION_FAILURES.unknownHost,
    test: (error) => error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN',
    advice: 'the host name does not resolve',
  },
  {
    reason: CONNECTION_FAILURES.timeout,
    test: (error) => classOf(error) === 'ConnectionTimeoutError' || error.code === 'ETIMEDOUT',
    advice: 'the connection was not accepted in time (a firewall, or a host that does not answer)',
  },
  {
    // The RESP decoder meets a byte no Redis reply starts with (an HTTP server answers 'HTTP/1.1').
    reason: CONNECTION_FAILURES.notRedis,
    test: (error) => /protocol|unknown (resp|reply)|type/i.test(error.message) && !isReply(error),
    advice: 'the server there does not speak the Redis protocol (another service on that port?)',
  },
  {
    reason: CONNECTION_FAILURES.closed,
    test: (error) => classOf(error) === 'SocketClosedUnexpectedlyError' || error.code === 'ECONNRESET',
    advice:
      'the server closed the connection without a Redis reply (not a Redis, TLS expected, or a proxy refusing it)',
  },
];

interface NodeError extends Error {
  code?: string;
}

/** node-redis' error classes keep the name 'Error'; their class says what happened. */
export function classOf(error: Error): string {
  return error.constructor?.name ?? error.name;
}

/** A Redis error reply (node-redis' ErrorReply), as opposed to a socket or parser failure. */
function isReply(error: Error): boolean {
  return classOf(error) === 'ErrorReply' || classOf(error) === 'SimpleError';
}

/** The connection failure `error` stands for, with the address it concerned (never the password). */
export function explainConnectionError(error: unknown, address: string): DejaConnectionError {
  if (error instanceof DejaConnectionError) return error;
  const nodeError: NodeError = error instanceof Error ? error : new Error(String(error));
  const rule = RULES.find((candidate) => candidate.test(nodeError));
  const advice = rule?.advice ?? 'the connection failed';
  return new DejaConnectionError(
    `Redis at ${address}: ${advice} (${classOf(nodeError)}: ${nodeError.message})`,
    rule?.reason ?? CONNECTION_FAILURES.other,
    { cause: error },
  );
}

/** host:port of a redis:// URL, without credentials; '(client)' when there is no URL. */
export function addressOf(url: string | undefined): string {
  if (!url) return '(the given client)';
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return '(an unparseable URL)';
  }
}
