// Counter commands: one MULTI of HINCRBYFLOAT per changed counter and a TTL that moves with every
// update, so counters outlive the entries (a month after their last update) but not forever.

export const COUNTERS_TTL_MS = 30 * 24 * 3600 * 1000;

/** Commands for one owner's counters; empty when nothing changed. */
export function addCountersCommands(key: string, counters: Record<string, number>): string[][] {
  const commands = Object.entries(counters)
    .filter(([, value]) => value !== 0 && Number.isFinite(value))
    .map(([name, value]) => ['HINCRBYFLOAT', key, name, String(value)]);
  if (commands.length === 0) return [];
  return [...commands, ['PEXPIRE', key, String(COUNTERS_TTL_MS)]];
}

export function readCountersArgs(key: string): string[] {
  return ['HGETALL', key];
}

/** HGETALL's reply (RESP2 flat array or RESP3 map) -> name/value pairs. */
export function parseHashReply(reply: unknown): [string, string][] {
  if (Array.isArray(reply)) {
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) out.push([String(reply[i]), String(reply[i + 1])]);
    return out;
  }
  if (reply instanceof Map) return [...reply.entries()].map(([name, value]) => [String(name), String(value)]);
  if (reply !== null && typeof reply === 'object')
    return Object.entries(reply).map(([name, value]) => [name, String(value)]);
  return [];
}
