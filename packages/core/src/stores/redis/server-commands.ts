// Commands about the server rather than deja's data: feature detection, index info, health, SCAN,
// and the member sets of the client-side KNN.

export const PING = ['PING'];
export const INFO_MEMORY = ['INFO', 'memory'];
/** Answers on a server with the Query Engine; "unknown command" elsewhere. */
export const LIST_INDEXES = ['FT._LIST'];

export function indexInfoArgs(indexName: string): string[] {
  return ['FT.INFO', indexName];
}

export function scanArgs(cursor: string, pattern: string, type?: string): string[] {
  return ['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000', ...(type ? ['TYPE', type] : [])];
}

export function setMembersArgs(key: string): string[] {
  return ['SMEMBERS', key];
}

export function popMembersArgs(key: string, count: number): string[] {
  return ['SPOP', key, String(count)];
}

export function removeMembersArgs(key: string, members: string[]): string[] {
  return ['SREM', key, ...members];
}

export function hashFieldArgs(key: string, field: string): string[] {
  return ['HGET', key, field];
}

/** `used_memory:<bytes>` from INFO memory. */
export function parseUsedMemory(info: unknown): number | undefined {
  const used = /used_memory:(\d+)/.exec(String(info));
  return used ? Number(used[1]) : undefined;
}

/** Bookkeeping keys of a deployment (secret, prefix registry) live a year past the last start. */
export const BOOKKEEPING_TTL_MS = 365 * 24 * 3600 * 1000;

export function getArgs(key: string): string[] {
  return ['GET', key];
}

/** SET only when missing, with a TTL (every key deja writes has one). */
export function setIfMissingArgs(key: string, value: string, ttlMs: number): string[] {
  return ['SET', key, value, 'NX', 'PX', String(ttlMs)];
}

export function expireArgs(key: string, ttlMs: number): string[] {
  return ['PEXPIRE', key, String(ttlMs)];
}

export function addMembersArgs(key: string, members: string[]): string[] {
  return ['SADD', key, ...members];
}
