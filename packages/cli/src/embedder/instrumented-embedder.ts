// Two hooks around the embedder, set by environment variables (tests use them; they are
// documented in `deja warm --help`):
//   DEJA_EMBEDDER_LOG=path       appends every text that reaches the embedder, one JSON string a line
//                                (how the tests prove no row is embedded twice across an interrupted warm)
//   DEJA_EMBEDDER_DELAY_MS=n     waits n ms per embed call (a remote model's latency, offline)
import { appendFileSync } from 'node:fs';
import type { Embedder } from '@deja/core';

export interface EmbedderHooks {
  logFile?: string;
  delayMs?: number;
}

export function hooksFromEnv(env: Record<string, string | undefined>): EmbedderHooks {
  const delay = Number(env.DEJA_EMBEDDER_DELAY_MS);
  return {
    logFile: env.DEJA_EMBEDDER_LOG || undefined,
    delayMs: Number.isFinite(delay) && delay > 0 ? delay : undefined,
  };
}

export function instrumentedEmbedder(inner: Embedder, hooks: EmbedderHooks): Embedder {
  if (!hooks.logFile && !hooks.delayMs) return inner;
  return {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    maxBatchSize: inner.maxBatchSize,
    async embed(texts, signal) {
      if (hooks.delayMs) await new Promise((resolve) => setTimeout(resolve, hooks.delayMs));
      const vectors = await inner.embed(texts, signal);
      // Logged once the model answered: a call that failed embedded nothing.
      if (hooks.logFile)
        appendFileSync(hooks.logFile, texts.map((text) => `${JSON.stringify(text)}\n`).join(''));
      return vectors;
    },
  };
}
