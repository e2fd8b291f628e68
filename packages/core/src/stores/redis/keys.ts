// Key layout. Entries live under the index prefix; everything else (member sets, locks, counters)
// lives under '~' + prefix so the index never sees it. The tenant digest is a hash tag, so all
// keys of one tenant share a cluster slot and one MULTI can write them together.

export interface KeyLayout {
  entry(tenant: string, id: string): string;
  /** Entry key -> entry id. */
  idOf(entryKey: string, tenant: string): string;
  /** Ids of one (tenant, scope, user): the bounded set the client-side KNN scans. */
  scopeMembers(tenant: string, scope: string, user: string): string;
  /** Ids of one user in a tenant: what forgetUser erases. */
  userMembers(tenant: string, user: string): string;
  lock(tenant: string, id: string): string;
  counters(tenant: string): string;
  /** A byte value owned by a tenant (its slice of the embedding cache). */
  tenantBytes(tenant: string, name: string): string;
  /** SCAN pattern matching every entry of every tenant. */
  entryPattern(): string;
  /** SCAN patterns matching every key of a tenant. */
  tenantPatterns(tenant: string): string[];
  /** The owner named in a counters key. */
  counterOwner(countersKey: string): string;
  /** SCAN pattern matching the counters of every tenant. */
  allCountersPattern(): string;
}

export function keyLayout(prefix: string): KeyLayout {
  const aux = `~${prefix}`;
  const globPrefix = escapeGlob(prefix);
  const globAux = escapeGlob(aux);
  return {
    entry: (tenant, id) => `${prefix}{${tenant}}:${id}`,
    idOf: (entryKey, tenant) => entryKey.slice(`${prefix}{${tenant}}:`.length),
    scopeMembers: (tenant, scope, user) => `${aux}{${tenant}}:scope:${scope}:${user}`,
    userMembers: (tenant, user) => `${aux}{${tenant}}:user:${user}`,
    lock: (tenant, id) => `${aux}{${tenant}}:lock:${id}`,
    counters: (tenant) => `${aux}{${tenant}}:stats`,
    tenantBytes: (tenant, name) => `${aux}{${tenant}}:bytes:${name}`,
    entryPattern: () => `${globPrefix}*`,
    tenantPatterns: (tenant) => [`${globPrefix}{${tenant}}:*`, `${globAux}{${tenant}}:*`],
    counterOwner: (countersKey) => countersKey.slice(aux.length + 1, -'}:stats'.length),
    allCountersPattern: () => `${globAux}{*}:stats`,
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
