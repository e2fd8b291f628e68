// Whether the server has Redis 8's vector sets (VADD / VSIM), asked once at init when it has no
// Query Engine. COMMAND INFO answers on any Redis (nil for a command it does not know), so the
// question costs no error; on a cluster every master must have them, as with the Query Engine.
import type { RedisConnection } from './connection.js';
import { indexNodes } from './index-manager.js';
import { parseHasVectorSets, VADD_COMMAND_INFO } from './vector-set-commands.js';

export async function hasVectorSets(redis: RedisConnection): Promise<boolean> {
  const nodes = await indexNodes(redis);
  const answers = await Promise.all(
    nodes.map(async (send) => parseHasVectorSets(await send(VADD_COMMAND_INFO))),
  );
  return answers.length > 0 && answers.every(Boolean);
}
