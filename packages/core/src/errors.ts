// Typed errors for misuse. Infrastructure trouble never throws (unless `strict`); misuse always does.
// The marker symbol makes `isInstance` work across duplicated copies of this package.
const marker = Symbol.for('deja.error');

export class DejaError extends Error {
  readonly [marker] = true;
  override readonly name: string = 'DejaError';

  static isInstance(error: unknown): error is DejaError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** Options or environment variables that cannot work. */
export class DejaConfigError extends DejaError {
  override readonly name: string = 'DejaConfigError';
}

/** The existing vector index was made with another dimension, metric, type or prefix. */
export class DejaSchemaMismatchError extends DejaError {
  override readonly name: string = 'DejaSchemaMismatchError';
}

/** Input that cannot be cached: bad vector, empty or oversized text, non-JSON response, bad id. */
export class DejaInputError extends DejaError {
  override readonly name: string = 'DejaInputError';
}

/** A feature this store cannot provide (e.g. KNN on a Redis Cluster without Query Engine support). */
export class DejaUnsupportedError extends DejaError {
  override readonly name: string = 'DejaUnsupportedError';
}

/** Redis trouble surfaced in `strict` mode (otherwise it is a miss and an `onError` report). */
export class DejaStoreError extends DejaError {
  override readonly name: string = 'DejaStoreError';
}

export class DejaTimeoutError extends DejaStoreError {
  override readonly name: string = 'DejaTimeoutError';
}

export class DejaCircuitOpenError extends DejaStoreError {
  override readonly name: string = 'DejaCircuitOpenError';
}

/** More store work arrived at once than `maxInFlight` + `maxQueued` allow; the excess was a miss. */
export class DejaOverloadedError extends DejaStoreError {
  override readonly name: string = 'DejaOverloadedError';
}

/** Why a connection to Redis failed, as far as the client can tell. */
export const CONNECTION_FAILURES = {
  wrongPassword: 'wrong-password',
  passwordRequired: 'password-required',
  refused: 'refused',
  maxClients: 'max-clients',
  notRedis: 'not-redis',
  closed: 'closed',
  timeout: 'timeout',
  unknownHost: 'unknown-host',
  other: 'other',
} as const;
export type ConnectionFailure = (typeof CONNECTION_FAILURES)[keyof typeof CONNECTION_FAILURES];

/** Redis could not be reached or refused the connection; `reason` says why, `cause` is the client's error. */
export class DejaConnectionError extends DejaStoreError {
  override readonly name: string = 'DejaConnectionError';
  constructor(
    message: string,
    readonly reason: ConnectionFailure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
