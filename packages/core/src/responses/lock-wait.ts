// The optional cross-process lock of `wrap`: one process computes a miss, the others wait for its
// entry. A holder that dies only blocks others until the lock's TTL runs out.
import type { GuardedStore } from '../stores/guarded-store.js';
import type { CacheHit } from './lookup-types.js';

export interface LockSettings {
  ttlMs: number;
  pollMs: number;
}

export async function waitForLock<T>(
  store: GuardedStore,
  tenant: string,
  id: string,
  settings: LockSettings,
  lookup: () => Promise<CacheHit<T> | undefined>,
): Promise<{ token?: string; hit?: CacheHit<T> }> {
  const deadline = Date.now() + settings.ttlMs * 2;
  while (Date.now() < deadline) {
    // null: no usable lock (the store failed or keeps none), so there is none to respect;
    // undefined: another process holds it.
    const token = await store.acquireLock(tenant, id, settings.ttlMs);
    if (token === null) return {};
    if (token) {
      // The previous holder may have stored the answer between our lookup and this lock.
      const hit = await lookup();
      if (hit) {
        await store.releaseLock(tenant, id, token);
        return { hit };
      }
      return { token };
    }
    await new Promise((resolve) => setTimeout(resolve, settings.pollMs));
    const hit = await lookup();
    if (hit) return { hit };
  }
  // Waited two lock periods without progress: compute rather than wait forever.
  return {};
}
