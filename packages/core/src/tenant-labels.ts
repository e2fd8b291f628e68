// Tenant labels for operators (`deja stats`): with `storeTenantLabels`, each process writes each
// tenant's id once, as a byte value of that tenant (so clearTenant removes it), under a keyed name,
// and `tenantLabels` reads them back by digest. Off by default: a tenant id may itself say who a
// customer is, and without this option no id ever reaches the store in clear.
import type { GuardedStore } from './stores/guarded-store.js';

const LABEL = 'tenant-label';
/** Labels are rewritten by each process that serves the tenant; a year outlives any flush gap. */
const LABEL_TTL_MS = 365 * 24 * 3_600_000;
/** Tenants remembered as written, per process (past it, labels are written again: harmless). */
const MAX_REMEMBERED = 10_000;

export interface TenantLabels {
  /** Writes the label of a tenant (once per process), in the background, when enabled. */
  remember(digest: string, label: string): void;
  /** The labels stored for these tenant digests (those without one are left out). */
  read(digests: string[]): Promise<Record<string, string>>;
  /** Waits for the label writes under way (on close). */
  flush(): Promise<void>;
}

export function tenantLabels(store: GuardedStore, enabled: boolean): TenantLabels {
  const written = new Set<string>();
  const pending = new Set<Promise<unknown>>();
  return {
    remember(digest, label) {
      if (!enabled || written.has(digest)) return;
      if (written.size >= MAX_REMEMBERED) written.clear();
      written.add(digest);
      const writing = (async () => {
        // Key names need the initialised store (the namespace secret).
        if (!(await store.ready())) return written.delete(digest);
        const key = store.bytesKey(digest, LABEL);
        if (key) await store.setBytes([{ key, value: new TextEncoder().encode(label) }], LABEL_TTL_MS);
      })()
        .catch(() => written.delete(digest))
        .finally(() => pending.delete(writing));
      pending.add(writing);
    },
    async read(digests) {
      if (digests.length === 0 || !(await store.ready())) return {};
      const keys = digests.map((digest) => store.bytesKey(digest, LABEL));
      if (keys.some((key) => key === undefined)) return {};
      const values = await store.getBytes(keys as string[]);
      const labels: Record<string, string> = {};
      digests.forEach((digest, i) => {
        const value = values[i];
        if (value) labels[digest] = new TextDecoder().decode(value);
      });
      return labels;
    },
    async flush() {
      await Promise.all([...pending]);
    },
  };
}
