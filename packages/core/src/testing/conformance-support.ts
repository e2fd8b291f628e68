// What the store conformance suite needs from its caller and the entries it writes. The suite takes
// the test functions as an argument (describe, it, expect, hooks) so @deja/core needs no test
// runner at run time: vitest's and jest's both fit.
import { digest } from '../keys/digest.js';
import type { Store, StoreCapabilities, StoreEntry } from '../stores/types.js';

type Callback = () => unknown;
export interface ConformanceTestApi {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<unknown> | unknown, timeoutMs?: number): unknown;
  beforeAll(body: Callback): unknown;
  afterAll(body: Callback): unknown;
  expect: ConformanceExpect;
}

/** The part of vitest's or jest's `expect` the suite uses. */
export interface ConformanceExpect {
  // biome-ignore lint/suspicious/noExplicitAny: the runner's own matchers (toEqual, toBe...), called as is.
  (actual: unknown): any;
  any(type: unknown): unknown;
  objectContaining(object: object): unknown;
}

export interface ConformanceTarget {
  /** Shown in the suite's name. */
  name: string;
  /** A fresh store (own prefix / index), and how to remove what the suite wrote. */
  create(): Promise<{ store: Store; cleanup(): Promise<void> }> | { store: Store; cleanup(): Promise<void> };
  /** What the store should declare after init (checked by the suite). */
  expected: Pick<StoreCapabilities, 'semantic' | 'shared'>;
  /** A key for a byte value outside any tenant, under the caller's own prefix. */
  globalBytesKey?(name: string): string;
}

export const DIMENSIONS = 4;
export const HOUR = 3_600_000;
export const NO_USER = '0';

/** Digests unique to one run, so two runs on one server never meet. */
export function runDigests(tag: string) {
  const run = `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const of = (name: string) => digest(`${run}:${name}`);
  return { of, tenantA: of('tenant-a'), tenantB: of('tenant-b'), scope1: of('scope-1'), userX: of('user-x') };
}

export type RunDigests = ReturnType<typeof runDigests>;

export function entryMaker(digests: RunDigests) {
  let sequence = 0;
  return (overrides: Partial<StoreEntry> = {}): StoreEntry => {
    sequence++;
    return {
      id: digests.of(`entry-${sequence}`),
      tenant: digests.tenantA,
      user: NO_USER,
      scope: digests.scope1,
      text: `text ${sequence}`,
      embedding: Float32Array.from([1, 0, 0, 0]),
      response: JSON.stringify({ v: 1, data: `response ${sequence}` }),
      meta: '{}',
      createdAt: Date.now(),
      ...overrides,
    };
  };
}

export const vector = (...values: number[]) => Float32Array.from(values);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
