// What a lookup asks the store for, and in how many waits. Each counted call answers on a later
// turn of the event loop, like a network reply; calls that start before any has returned share a
// round trip (node-redis writes the commands issued in one turn as one pipeline). A structural
// check, whatever the machine's load. The store is a real memory store; only its calls are counted.
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createDeja,
  type Deja,
  DejaInputError,
  type DejaOptions,
  memoryStore,
  type Store,
} from '../src/index.ts';
import { PARAPHRASE, paraphraseEmbedder, QUESTION, request } from './support.ts';

interface Call {
  op: string;
  /** How many store calls had returned when this one started. */
  returnedBefore: number;
}

function countedStore(): { store: Store; calls: Call[]; reset(): void } {
  const inner = memoryStore();
  const calls: Call[] = [];
  let returned = 0;
  const count =
    <A extends unknown[], R>(op: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      calls.push({ op, returnedBefore: returned });
      try {
        // Like a network reply, it comes back on a later turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        return await call(...args);
      } finally {
        returned++;
      }
    };
  const bytes = inner.bytes as NonNullable<Store['bytes']>;
  const store: Store = {
    ...inner,
    get: count('get', inner.get),
    knn: count('knn', inner.knn),
    bytes: { ...bytes, get: count('bytes.get', bytes.get) },
  };
  const reset = () => {
    calls.length = 0;
    returned = 0;
  };
  return { store, calls, reset };
}

function dejaOn(store: Store, embedCalls: string[] = [], options: Partial<DejaOptions> = {}): Deja {
  const embedder = paraphraseEmbedder();
  const deja = createDeja({
    store,
    embedder: {
      ...embedder,
      embed: (texts, signal) => {
        embedCalls.push(...texts);
        return embedder.embed(texts, signal);
      },
    },
    statsFlushMs: 0,
    maxErrorRate: false,
    writeBehind: false,
    ...options,
  });
  onTestFinished(() => deja.close());
  return deja;
}

const PARAPHRASE_VECTOR = [0.98, 0.2, 0, 0];

describe('round trips of a lookup', () => {
  it('with the caller vector, a semantic hit is one round trip: exact probe, marks flag and KNN leave together; no marks read', async () => {
    const { store, calls, reset } = countedStore();
    const tenant = dejaOn(store).tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');
    reset();

    const hit = await tenant.responses.lookup({ ...request(PARAPHRASE), vector: PARAPHRASE_VECTOR });

    expect(hit).toMatchObject({ hit: 'semantic', value: 'Paris' });
    expect(calls.map((call) => call.op).sort()).toEqual(['bytes.get', 'get', 'knn']);
    expect(calls.filter((call) => call.returnedBefore > 0)).toEqual([]);
  });

  it('a query with a reported wrong hit reads its marks and is not served again', async () => {
    const { store, calls, reset } = countedStore();
    const tenant = dejaOn(store).tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');
    const hit = await tenant.responses.lookup({ ...request(PARAPHRASE), vector: PARAPHRASE_VECTOR });
    await tenant.responses.reportWrongHit(hit?.reference as string);
    reset();

    const again = await tenant.responses.find({ ...request(PARAPHRASE), vector: PARAPHRASE_VECTOR });

    expect(again).toMatchObject({ hit: 'miss', reason: 'reported-wrong' });
    // The flag (first round trip), then both marks of the one candidate (after the KNN).
    expect(calls.filter((call) => call.op === 'bytes.get')).toHaveLength(2);
  });

  it('a query whose nearest entry was reported wrong asks for the next ones, which may answer', async () => {
    const { store, calls, reset } = countedStore();
    const tenant = dejaOn(store).tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');
    // Nearer to the paraphrase than QUESTION is (0.998 against 0.980).
    const nearer = { ...request('Capital of France, please'), vector: [0.95, 0.25, 0, 0] };
    await tenant.responses.store(nearer, 'Lyon');
    const wrong = await tenant.responses.lookup({ ...request(PARAPHRASE), vector: PARAPHRASE_VECTOR });
    expect(wrong).toMatchObject({ hit: 'semantic', value: 'Lyon' });
    await tenant.responses.reportWrongHit(wrong?.reference as string);
    reset();

    const next = await tenant.responses.lookup({ ...request(PARAPHRASE), vector: PARAPHRASE_VECTOR });

    expect(next).toMatchObject({ hit: 'semantic', value: 'Paris' });
    // The first KNN asked for the nearest only; the marked query asked again for all candidates.
    expect(calls.filter((call) => call.op === 'knn')).toHaveLength(2);
  });

  it('a text lookup: the exact probe and the embedding read, then the KNN with the marks flag', async () => {
    const { store, calls, reset } = countedStore();
    const tenant = dejaOn(store).tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');
    reset();

    const hit = await tenant.responses.lookup(request('Tell me the French capital, please'));

    expect(hit?.hit).not.toBe('exact');
    const trip = (op: string, nth = 0) => calls.filter((call) => call.op === op)[nth]?.returnedBefore;
    expect(trip('get')).toBe(0);
    expect(trip('bytes.get')).toBe(0); // the embedding-cache read
    const knn = trip('knn') as number;
    expect(knn).toBeGreaterThan(0);
    expect(trip('bytes.get', 1)).toBe(knn); // the flag, with the KNN
  });

  it('an exact hit by text, its vector not at hand, sends no KNN and no marks flag read', async () => {
    const { store, calls, reset } = countedStore();
    const tenant = dejaOn(store, [], { localEmbeddings: 0 }).tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');
    reset();

    expect(await tenant.responses.lookup(request(QUESTION))).toMatchObject({ hit: 'exact' });
    // The probe and the embedding-cache read (one round trip), nothing else.
    expect(calls.map((call) => call.op).sort()).toEqual(['bytes.get', 'get']);
  });

  it('wrap with the caller vector calls no embedder, and stores the answer under that vector', async () => {
    const embedCalls: string[] = [];
    const tenant = dejaOn(memoryStore(), embedCalls).tenant('acme');
    const computed = await tenant.responses.wrap(
      { ...request(QUESTION), vector: [1, 0, 0, 0] },
      async () => 'Paris',
    );
    const hit = await tenant.responses.lookup({ ...request(PARAPHRASE), vector: PARAPHRASE_VECTOR });

    expect(computed).toMatchObject({ hit: 'miss', value: 'Paris' });
    expect(hit).toMatchObject({ hit: 'semantic', value: 'Paris' });
    expect(embedCalls).toEqual([]);
  });

  it('a vector without its text, or of the wrong size, is refused before anything runs', async () => {
    const tenant = dejaOn(memoryStore()).tenant('acme');
    let computed = 0;
    const compute = async () => {
      computed++;
      return 'Paris';
    };
    await expect(
      tenant.responses.wrap({ key: { text: QUESTION }, vector: [1, 0, 0, 0] }, compute),
    ).rejects.toThrow(DejaInputError);
    await expect(tenant.responses.lookup({ ...request(QUESTION), vector: [1, 0, 0] })).rejects.toThrow(
      DejaInputError,
    );
    expect(computed).toBe(0);
  });
});

describe('close() and the reads a lookup leaves running', () => {
  it('waits for the KNN that left with an exact hit before closing the store', async () => {
    const inner = memoryStore();
    let knnRunning = false;
    let knnRunningAtClose: boolean | undefined;
    const store: Store = {
      ...inner,
      knn: async (query) => {
        knnRunning = true;
        await new Promise((resolve) => setTimeout(resolve, 50));
        knnRunning = false;
        return inner.knn(query);
      },
      close: async () => {
        knnRunningAtClose = knnRunning;
        await inner.close?.();
      },
    };
    const deja = createDeja({ store, embedder: paraphraseEmbedder(), statsFlushMs: 0, writeBehind: false });
    const tenant = deja.tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');

    const hit = await tenant.responses.lookup({ ...request(QUESTION), vector: [1, 0, 0, 0] });
    expect(hit?.hit).toBe('exact');
    expect(knnRunning).toBe(true);
    await deja.close();

    expect(knnRunningAtClose).toBe(false);
  });
});
