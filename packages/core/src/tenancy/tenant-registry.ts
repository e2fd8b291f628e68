// The tenant caches of one Deja, made once per tenant id rather than once per `deja.tenant(id)`
// call: making one hashes the id and builds the tenant's caches, work a hit should not repeat
// (every adapter call asks for its tenant).
import type { Id } from '../ids.js';
import type { TenantCache } from '../tenant-cache.js';

/** Tenants remembered; past it the map starts over (one more build each: harmless). */
const MAX_TENANTS = 1_000;

/**
 * `make(id)`, remembered for string and number ids. An id object (a UUID) is made afresh each
 * call: it could print differently next time, and a remembered tenant would then be another
 * tenant's. A bad id throws from `make` every time (nothing is remembered for it).
 */
export function tenantRegistry(make: (id: Id) => TenantCache): (id: Id) => TenantCache {
  const tenants = new Map<string | number, TenantCache>();
  return (id) => {
    if (typeof id !== 'string' && typeof id !== 'number') return make(id);
    let tenant = tenants.get(id);
    if (!tenant) {
      tenant = make(id);
      if (tenants.size >= MAX_TENANTS) tenants.clear();
      tenants.set(id, tenant);
    }
    return tenant;
  };
}
