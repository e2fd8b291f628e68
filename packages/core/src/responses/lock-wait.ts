// The optional cross-process lock of `wrap`: one process computes a miss, the others wait for its
// entry. A holder that dies only blocks others until the lock's TTL runs out.
import type { GuardedStore } from '../stores/guarded-store.js';
import type { CacheHit } from './lookup-types.js';

export interface LockSettings {
  ttlMs: number;
  pollMs: number;
}

/**
 * One try for the lock: `token` when taken, `hit` when the answer is there after all, `held` when
 * another process holds it; none of them when there is no usable lock (the store failed or keeps
 * none), so there is none to respect.
 */
export interface LockAttempt<T> {
  token?: string;
  hit?: CacheHit<T>;
  held?: boolean;
}

export async function tryLock<T>(
  store: GuardedStore,
  tenant: string,
  id: string,
  settings: LockSettings,
  lookup: () => Promise<CacheHit<T> | undefined>,
): Promise<LockAttempt<T>> {
  const token = await store.acquireLock(tenant, id, settings.ttlMs);
  if (token === null) return {};
  if (token === undefined) return { held: true };
  // The previous holder may have stored the answer between our lookup and this lock.
  const hit = await lookup();
  if (!hit) return { token };
  await store.releaseLock(tenant, id, token);
  return { hit };
}

/**
 * The lock, or the answer another holder stored while we waited. `first`: a try already made
 * (wrap makes it while the lookup's semantic tier runs, so a miss does not wait for it).
 */
export async function waitForLock<T>(
  store: GuardedStore,
  tenant: string,
  id: string,
  settings: LockSettings,
  lookup: () => Promise<CacheHit<T> | undefined>,
  first?: Promise<LockAttempt<T>>,
): Promise<{ token?: string; hit?: CacheHit<T> }> {
  const deadline = Date.now() + settings.ttlMs * 2;
  let attempt = await (first ?? tryLock(store, tenant, id, settings, lookup));
  while (attempt.held && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, settings.pollMs));
    const hit = await lookup();
    if (hit) return { hit };
    attempt = await tryLock(store, tenant, id, settings, lookup);
  }
  // Waited two lock periods without progress: compute rather than wait forever.
  return attempt.held ? {} : { token: attempt.token, hit: attempt.hit };
}
