// Compiled by check-packages.sh in the bare app (no redis installed) with skipLibCheck off: the
// packages' declarations must type-check for a user as shipped, under node16/nodenext and bundler.
import { createDeja, memoryStore, redisStore } from '@deja/core';
import { DejaCache } from '@deja/langchain';

const deja = createDeja({ store: memoryStore() });
export const cache: DejaCache = new DejaCache({ deja, tenant: 'acme' });
export const makeRedisStore: typeof redisStore = redisStore;
