// The tenant caches a middleware serves from, made once per tenant id rather than once per call:
// `deja.tenant(id)` hashes the id and builds the tenant's caches, work a hit should not repeat.
import type { Deja, Id, TenantCache } from '@deja/core';

/** Tenants remembered per deja; past it the map starts over (one more deja.tenant each: harmless). */
const MAX_TENANTS = 1_000;

/** Tenant caches by id, per deja (middlewares made per request share them). */
const byDeja = new WeakMap<Deja, Map<string | number, TenantCache>>();

/**
 * `deja.tenant(id)`, remembered for string and number ids. An id object (a UUID) is read afresh
 * each call: it could print differently next time, and a remembered tenant would then be another
 * tenant's.
 */
export function tenantOf(deja: Deja, id: Id): TenantCache {
  if (typeof id !== 'string' && typeof id !== 'number') return deja.tenant(id);
  let tenants = byDeja.get(deja);
  if (!tenants) {
    tenants = new Map();
    byDeja.set(deja, tenants);
  }
  let tenant = tenants.get(id);
  if (!tenant) {
    // A bad id throws here, before anything is remembered.
    tenant = deja.tenant(id);
    if (tenants.size >= MAX_TENANTS) tenants.clear();
    tenants.set(id, tenant);
  }
  return tenant;
}
