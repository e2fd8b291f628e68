// deja clear: deletes one tenant's entries (or one user's), after asking.
import { createInterface } from 'node:readline';
import { defineCommand, type Io } from '../command.js';
import { DejaCliError, EXIT_CODES } from '../errors.js';
import { formatInteger } from '../format/numbers.js';
import { openRedisSession, redisConfig } from '../redis/redis-session.js';

const flags = {
  tenant: { type: 'string', value: 'T', required: true, description: 'tenant whose entries are deleted' },
  user: { type: 'string', value: 'U', description: "only this user's entries in the tenant" },
  yes: { type: 'boolean', description: 'do not ask (needed when stdin is not a terminal)' },
  redis: { type: 'string', value: 'URL', description: 'Redis URL (default: DEJA_REDIS_URL)' },
} as const;

export const clearCommand = defineCommand({
  name: 'clear',
  summary: "delete one tenant's cached entries (or one user's), asking first unless --yes",
  flags,
  async run(values, io) {
    const tenantId = values.tenant as string;
    const what =
      values.user === undefined
        ? `tenant ${JSON.stringify(tenantId)}`
        : `user ${JSON.stringify(values.user)} in tenant ${JSON.stringify(tenantId)}`;
    const config = redisConfig('clear', values.redis, io.env);
    if (!values.yes && !io.stdin.isTTY) {
      throw new DejaCliError(
        `clear: refusing to delete the entries of ${what} without confirmation: stdin is not a terminal, pass --yes`,
      );
    }
    const session = await openRedisSession(config, { longOperationMs: 10 * 60_000 });
    try {
      const tenant = session.deja.tenant(tenantId);
      if (!values.yes) {
        const entries = values.user === undefined ? await tenant.count().catch(() => undefined) : undefined;
        const counted = entries === undefined ? '' : ` (${formatInteger(entries)} entries)`;
        if (
          !(await confirm(io, `Delete every cached entry of ${what}${counted} in ${session.label}? [y/N] `))
        ) {
          io.stderr.write('Nothing deleted.\n');
          return EXIT_CODES.failure;
        }
      }
      if (values.user === undefined) {
        io.stdout.write(`Deleted ${formatInteger(await tenant.clear())} entries of ${what}.\n`);
        return EXIT_CODES.ok;
      }
      const { deleted, complete } = await tenant.forgetUser(values.user);
      io.stdout.write(`Deleted ${formatInteger(deleted)} entries of ${what}.\n`);
      if (complete) return EXIT_CODES.ok;
      // Not finished within the deadline (or Redis unavailable): say so, and fail, so it is run again.
      io.stderr.write(`The erasure of ${what} did not finish; run the same command again.\n`);
      return EXIT_CODES.failure;
    } finally {
      await session.close();
    }
  },
});

async function confirm(io: Io, question: string): Promise<boolean> {
  io.stderr.write(question);
  const lines = createInterface({ input: io.stdin, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    lines.close();
  }
}
