// Byte-value commands (the embedding cache): one MGET for many keys on one node, one GET per key
// on a cluster (keys of several slots), one SET PX per value.

export function getBytesArgs(keys: string[]): string[] {
  return keys.length === 1 ? ['GET', keys[0] as string] : ['MGET', ...keys];
}

export function setBytesArgs(key: string, value: Uint8Array, ttlMs: number): (string | Buffer)[] {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return ['SET', key, bytes, 'PX', String(Math.max(1, Math.round(ttlMs)))];
}

/**
 * A write that never shortens a live key's expiry (one MULTI): the value replaced with its TTL
 * kept, or created with the TTL, then the TTL raised when the new one is longer.
 */
export function setBytesKeepLongerArgs(key: string, value: Uint8Array, ttlMs: number): (string | Buffer)[][] {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const ttl = String(Math.max(1, Math.round(ttlMs)));
  return [
    ['SET', key, bytes, 'KEEPTTL', 'XX'],
    ['SET', key, bytes, 'PX', ttl, 'NX'],
    ['PEXPIRE', key, ttl, 'GT'],
  ];
}
