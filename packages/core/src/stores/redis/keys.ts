// Key layout. Entries live under the index prefix; everything else (member sets, locks, counters,
// byte values, erasure fences) lives under '~' + prefix so the index never sees it. The tenant
// digest is a hash tag, so all keys of one tenant share a cluster slot and one script or MULTI can
// write them together.
//
// Names that would say who a user is or what a prompt was (user and scope digests in set names,
// the embedding cache's sha256(text)) are keyed: HMAC-SHA256 with the namespace's secret
// (`keyed`), so nobody who can list keys can confirm a guess without it.

/** The prefixes of every deja on this server, so a new one can refuse to nest inside another. */
export const PREFIX_REGISTRY_KEY = '~deja:prefixes';

/** Hex digest, keyed with the namespace secret (only known after init). */
export type Keyed = (text: string) => string;

export interface KeyLayout {
  entry(tenant: string, id: string): string;
  /** Entry key -> entry id; undefined when the key is not exactly one of this tenant's entry keys. */
  idOf(entryKey: string, tenant: string): string | undefined;
  /** Ids of one (tenant, scope, user, model): the bounded set the client-side KNN scans. */
  scopeMembers(tenant: string, scope: string, user: string, model: string | undefined): string;
  /** Ids of one user in a tenant: what forgetUser erases. */
  userMembers(tenant: string, user: string): string;
  /** The ids a forgetUser of the user took from `userMembers` and is erasing (erasure-commands.ts). */
  userErasing(tenant: string, user: string): string;
  /** The scope-set keys and byte-value keys of one user: what forgetUser erases with the entries. */
  userKeys(tenant: string, user: string): string;
  /** Ids of the entries of a tenant carrying one tag (a digest): what deleteTagged erases. */
  tagMembers(tenant: string, tag: string): string;
  /** When the tag's last deleteTagged began (ms): writes carrying it that began before are refused. */
  tagFence(tenant: string, tag: string): string;
  /** When the user's last forgetUser began (ms): writes that began before it are refused. */
  erased(tenant: string, user: string): string;
  lock(tenant: string, id: string): string;
  counters(tenant: string): string;
  /** The key a caller names a tenant's byte value by (StoreBytes.key); see `bytesKey`. */
  tenantBytes(tenant: string, name: string, user?: string): string;
  /**
   * The Redis key of a byte value: a key from `tenantBytes` with its name (and user) keyed, and
   * the set that lists it for forgetUser; any other key as it is.
   */
  bytesKey(key: string): { key: string; userKeys?: string };
  /** The namespace secret, when deja keeps it in Redis (one per prefix, no TTL). */
  secret(): string;
  /** SCAN pattern matching every entry of every tenant. */
  entryPattern(): string;
  /** SCAN patterns matching every key of a tenant: its entries first, then its own keys. */
  tenantPatterns(tenant: string): [entries: string, auxiliary: string];
  /** The owner named in a counters key. */
  counterOwner(countersKey: string): string;
  /** SCAN pattern matching the counters of every tenant. */
  allCountersPattern(): string;
}

const ENTRY_ID = /^[0-9a-f]{64}$/;
const NO_USER = '0';

export function keyLayout(prefix: string, keyed: Keyed): KeyLayout {
  const aux = `~${prefix}`;
  const globPrefix = escapeGlob(prefix);
  const globAux = escapeGlob(aux);
  const logicalBytes = new RegExp(`^${escapeRegExp(aux)}\\{([0-9a-f]+)\\}:bytes:([0-9a-f]+):(.*)$`, 's');
  const userKeys = (tenant: string, user: string) => `${aux}{${tenant}}:user-keys:${keyed(`user:${user}`)}`;
  return {
    entry: (tenant, id) => `${prefix}{${tenant}}:${id}`,
    idOf(entryKey, tenant) {
      const head = `${prefix}{${tenant}}:`;
      if (!entryKey.startsWith(head)) return undefined;
      const id = entryKey.slice(head.length);
      return ENTRY_ID.test(id) ? id : undefined;
    },
    scopeMembers: (tenant, scope, user, model) =>
      `${aux}{${tenant}}:scope:${keyed(`scope:${scope}:${user}:${model ?? ''}`)}`,
    userMembers: (tenant, user) => `${aux}{${tenant}}:user:${keyed(`user:${user}`)}`,
    userErasing: (tenant, user) => `${aux}{${tenant}}:user-erasing:${keyed(`user:${user}`)}`,
    userKeys,
    tagMembers: (tenant, tag) => `${aux}{${tenant}}:tag:${keyed(`tag:${tag}`)}`,
    tagFence: (tenant, tag) => `${aux}{${tenant}}:tag-fence:${keyed(`tag:${tag}`)}`,
    erased: (tenant, user) => `${aux}{${tenant}}:erased:${keyed(`user:${user}`)}`,
    lock: (tenant, id) => `${aux}{${tenant}}:lock:${id}`,
    counters: (tenant) => `${aux}{${tenant}}:stats`,
    // Logical until used: callers may ask for a key before init() has read the secret.
    tenantBytes: (tenant, name, user) => `${aux}{${tenant}}:bytes:${user ?? NO_USER}:${name}`,
    bytesKey(key) {
      const match = logicalBytes.exec(key);
      if (!match) return { key };
      const [, tenant, user, name] = match as unknown as [string, string, string, string];
      const physical = `${aux}{${tenant}}:bytes:${keyed(`bytes:${user}:${name}`)}`;
      return user === NO_USER ? { key: physical } : { key: physical, userKeys: userKeys(tenant, user) };
    },
    // Beside the registry, outside the prefix: a deployment key, kept without a TTL on purpose
    // (entries named with it must stay reachable for as long as they live).
    secret: () => `~deja:secret:${prefix}`,
    entryPattern: () => `${globPrefix}*`,
    tenantPatterns: (tenant) => [`${globPrefix}{${tenant}}:*`, `${globAux}{${tenant}}:*`],
    counterOwner: (countersKey) => countersKey.slice(aux.length + 1, -'}:stats'.length),
    allCountersPattern: () => `${globAux}{*}:stats`,
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when one prefix is the start of the other: their keyspaces (and indexes) overlap. */
export function prefixesNest(a: string, b: string): boolean {
  return a !== b && (a.startsWith(b) || b.startsWith(a));
}
