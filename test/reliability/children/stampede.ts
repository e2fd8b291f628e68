// `callers` concurrent identical misses through responses.wrap in one process, optionally with the
// Redis lock. Every compute increments a Redis counter, so the parent counts them across processes.
import { createDeja, redisStore } from '@deja/core';
import { createClient } from 'redis';
import { send, settings, waitForGo } from './protocol.ts';

const { url, prefix, lock, callers, computeMs, counterKey, question } = settings<{
  url: string;
  prefix: string;
  lock: { ttlMs: number; pollMs: number } | false;
  callers: number;
  computeMs: number;
  counterKey: string;
  question: string;
}>();

// Generous deadline: a lock call that gave up on a busy machine would compute, and count as a
// stampede the lock did not cause.
const deja = createDeja({ store: redisStore({ url, prefix }), lock, statsFlushMs: 0, timeoutMs: 30_000 });
const counter = createClient({ url });
await counter.connect();
await deja.ready();
const tenant = deja.tenant('stampede');

const compute = async () => {
  const nth = await counter.incr(counterKey);
  send('computing', { nth, at: Date.now() });
  await new Promise((resolve) => setTimeout(resolve, computeMs));
  return `answer ${nth}`;
};

send('ready');
await waitForGo();
const started = Date.now();
const results = await Promise.all(
  Array.from({ length: callers }, () => tenant.responses.wrap({ key: question }, compute)),
);
send('done', {
  startedAt: started,
  finishedAt: Date.now(),
  values: [...new Set(results.map((result) => result.value))],
  hits: results.map((result) => result.hit),
});
counter.destroy();
await deja.close();
