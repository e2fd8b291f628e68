/** A node-redis client (`createClient`) or cluster (`createCluster`) the user already has. */
// biome-ignore lint/suspicious/noExplicitAny: internal only; users see RedisClientLike (connection.ts).
export type NodeRedisClient = any;
