// The per-store setup most integration tests share: a fresh test store (own prefix, index and
// embedding prefix), a deja on it whose error events are collected, and the teardown that closes
// the deja and removes every key the test wrote — run even when the test's assertions fail.
import { createDeja, type Deja, type DejaErrorEvent, type DejaOptions } from '@deja/core';
import { afterAll, beforeAll, describe, onTestFinished } from 'vitest';
import { makeTestStore, STORE_KINDS, type StoreKind, type TestStore } from './stores.ts';

/** The stores with a Redis keyspace to inspect. */
export const REDIS_KINDS = ['redis-stack', 'redis-plain', 'redis-8'] as const satisfies readonly StoreKind[];

/** createDeja options a fixture takes: everything but where the keys go (the fixture decides). */
export type FixtureDejaOptions = Omit<DejaOptions, 'embeddingKeyPrefix'>;

export interface FixtureOptions {
  /** Await deja.ready() before handing the deja out (default true). */
  ready?: boolean;
  /** Index algorithm of a Redis Stack test store. */
  algorithm?: 'FLAT' | 'HNSW';
}

export interface DejaFixture {
  deja: Deja;
  /** Every event deja reported to onError, in order (also passed on to options.onError). */
  errors: DejaErrorEvent[];
  store: TestStore;
  /** Closes the deja and removes the test store's keys and index. */
  cleanup(): Promise<void>;
}

/** createDeja options, or a function of the test store for options that need it (a wrapped store). */
export type FixtureOptionsInput = FixtureDejaOptions | ((store: TestStore) => FixtureDejaOptions);

/** A deja on a fresh test store of `kind`; the caller runs `cleanup` (see useDeja / dejaForTest). */
export async function withDeja(
  kind: StoreKind,
  options: FixtureOptionsInput = {},
  fixtureOptions: FixtureOptions = {},
): Promise<DejaFixture> {
  const store = makeTestStore(kind, { algorithm: fixtureOptions.algorithm });
  const given = typeof options === 'function' ? options(store) : options;
  const errors: DejaErrorEvent[] = [];
  const deja = createDeja({
    ...store.dejaOptions,
    ...given,
    onError: (event) => {
      errors.push(event);
      given.onError?.(event);
    },
  });
  const cleanup = async () => {
    try {
      await deja.close();
    } finally {
      await store.cleanup();
    }
  };
  if (fixtureOptions.ready ?? true) {
    try {
      await deja.ready();
    } catch (error) {
      await cleanup();
      throw error;
    }
  }
  return { deja, errors, store, cleanup };
}

/**
 * One deja for every test of the enclosing describe: made in beforeAll, cleaned up in afterAll.
 * Call at describe level; read the fields inside tests (they exist once beforeAll has run).
 */
export function useDeja(
  kind: StoreKind,
  options: FixtureOptionsInput = {},
  fixtureOptions: FixtureOptions = {},
): DejaFixture {
  let fixture: DejaFixture | undefined;
  beforeAll(async () => {
    fixture = await withDeja(kind, options, fixtureOptions);
  });
  afterAll(async () => {
    await fixture?.cleanup();
  });
  const current = (): DejaFixture => {
    if (!fixture) throw new Error('useDeja: the deja is made in beforeAll; read it inside a test');
    return fixture;
  };
  return {
    get deja() {
      return current().deja;
    },
    get errors() {
      return current().errors;
    },
    get store() {
      return current().store;
    },
    cleanup: () => current().cleanup(),
  };
}

/** A deja for the running test only, cleaned up when it finishes (pass or fail). */
export async function dejaForTest(
  kind: StoreKind,
  options: FixtureOptionsInput = {},
  fixtureOptions: FixtureOptions = {},
): Promise<DejaFixture> {
  const fixture = await withDeja(kind, options, fixtureOptions);
  onTestFinished(() => fixture.cleanup());
  return fixture;
}

/** Closes `deja` when the running test finishes, whether its assertions passed or not. */
export function closeWhenTestEnds(deja: Pick<Deja, 'close'>): void {
  onTestFinished(() => deja.close());
}

/**
 * `describe.each` over store kinds, titled "<title> on <kind>": all three stores, or the kinds
 * given (e.g. only the Redis ones for a test that reads the keyspace).
 */
export function describeEachStore(title: string, body: (kind: StoreKind) => void): void;
export function describeEachStore<Kind extends StoreKind>(
  title: string,
  kinds: readonly Kind[],
  body: (kind: Kind) => void,
): void;
export function describeEachStore(
  title: string,
  kindsOrBody: readonly StoreKind[] | ((kind: StoreKind) => void),
  body?: (kind: StoreKind) => void,
): void {
  const kinds = typeof kindsOrBody === 'function' ? STORE_KINDS : kindsOrBody;
  const suite = typeof kindsOrBody === 'function' ? kindsOrBody : body;
  if (!suite) throw new Error('describeEachStore needs a suite body');
  describe.each([...kinds])(`${title} on %s`, suite);
}
