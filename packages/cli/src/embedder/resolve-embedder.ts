// Which embedder a command uses: the offline LEXICAL one by default, or the default export of a
// module the user names (--embedder ./my-embedder.js), so warm, search and tune can run with the
// real model an app uses (e.g. aiSdkEmbedder(openai.embedding('text-embedding-3-small'))).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Embedder, lexicalEmbedder } from '@deja/core';
import { embedderProblem } from '@deja/core/adapter';
import { DejaCliError } from '../errors.js';
import { hooksFromEnv, instrumentedEmbedder } from './instrumented-embedder.js';

export interface ResolvedEmbedder {
  embedder: Embedder;
  /** How the embedder is named in output. */
  label: string;
  lexical: boolean;
}

export const LEXICAL_LABEL = 'LEXICAL (hashed character trigrams: close rewordings match, meaning does not)';

export interface ResolveEmbedderOptions {
  module: string | undefined;
  /** From DEJA_EMBEDDING_DIMENSIONS (loadConfig): the lexical embedder's dimension. */
  dimensions: number | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}

export async function resolveEmbedder(options: ResolveEmbedderOptions): Promise<ResolvedEmbedder> {
  const hooks = hooksFromEnv(options.env);
  if (options.module === undefined) {
    const embedder = lexicalEmbedder({ dimensions: options.dimensions ?? 256 });
    return {
      embedder: instrumentedEmbedder(embedder, hooks),
      label: `${embedder.modelId} — ${LEXICAL_LABEL}`,
      lexical: true,
    };
  }
  const embedder = await loadEmbedderModule(resolve(options.cwd, options.module));
  if (
    options.dimensions !== undefined &&
    embedder.dimensions !== undefined &&
    options.dimensions !== embedder.dimensions
  ) {
    throw new DejaCliError(
      `DEJA_EMBEDDING_DIMENSIONS is ${options.dimensions} but embedder ${embedder.modelId} gives ${embedder.dimensions}`,
    );
  }
  return { embedder: instrumentedEmbedder(embedder, hooks), label: embedder.modelId, lexical: false };
}

/** The module's default export (or `embedder` export): an Embedder, or a function returning one. */
async function loadEmbedderModule(path: string): Promise<Embedder> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new DejaCliError(
      `cannot load --embedder ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let candidate = loaded.default ?? loaded.embedder;
  if (typeof candidate === 'function') candidate = await (candidate as () => unknown)();
  // deja's own embedder check, so the CLI accepts exactly what createDeja accepts.
  const problem = embedderProblem(candidate);
  if (problem) {
    throw new DejaCliError(
      `--embedder ${path} must export (default) a deja Embedder { modelId, dimensions?, embed(texts) } ` +
        `or a function returning one: ${problem}`,
    );
  }
  return candidate as Embedder;
}
