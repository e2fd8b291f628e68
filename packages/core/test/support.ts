// What the unit tests of @deja/core share: a deja on a fresh memoryStore, its error events
// collected, closed when the test ends (pass or fail). Everything goes through the public API.
import { onTestFinished } from 'vitest';
import { createDeja, type Deja, type DejaErrorEvent, type DejaOptions, memoryStore } from '../src/index.ts';
import { fixedEmbedder } from '../src/testing/index.ts';

export const QUESTION = 'What is the capital of France?';
export const PARAPHRASE = 'Tell me the French capital';
export const UNRELATED = 'How do I bake bread?';

/** QUESTION and PARAPHRASE are 0.98 similar; UNRELATED is orthogonal to both. */
export const paraphraseEmbedder = () =>
  fixedEmbedder({
    [QUESTION]: [1, 0, 0, 0],
    [PARAPHRASE]: [0.98, 0.2, 0, 0],
    [UNRELATED]: [0, 0, 1, 0],
  });

/** A request whose exact key is the model and text, compared by meaning on the text. */
export const request = (text: string, model = 'model-a') => ({
  key: { model, text },
  semanticText: text,
  scope: { model },
});

export interface MemoryDeja {
  deja: Deja;
  errors: DejaErrorEvent[];
}

export function memoryDeja(options: Omit<DejaOptions, 'store'> = {}): MemoryDeja {
  const errors: DejaErrorEvent[] = [];
  const deja = createDeja({
    embedder: paraphraseEmbedder(),
    statsFlushMs: 0,
    // The static semantic rule and awaited writes: these tests are about the caches' paths; the
    // bounded default and writing behind have their own tests (semantic-acceptance, write-behind).
    maxErrorRate: false,
    writeBehind: false,
    ...options,
    store: memoryStore(),
    onError: (event) => {
      errors.push(event);
      options.onError?.(event);
    },
  });
  onTestFinished(() => deja.close());
  return { deja, errors };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Counts turns of the event loop (one per check phase) until stopped: work that never yields
 * lets none happen, however long it takes, so a count is a test of structure that load cannot
 * break (unlike a clock).
 */
export function loopTurns(): { count(): number; stop(): void } {
  let turns = 0;
  let running = true;
  const turn = () => {
    if (!running) return;
    turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  return {
    count: () => turns,
    stop: () => {
      running = false;
    },
  };
}
