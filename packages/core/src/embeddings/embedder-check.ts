// The one check of an embedder, wherever it comes from (createDeja, deja.cachedEmbedder, the CLI's
// --embedder module): a plain object with the members deja calls, each the right kind.
import { DejaConfigError } from '../errors.js';
import { MAX_MODEL_ID_LENGTH } from '../option-schemas.js';
import type { Embedder } from './embedder.js';

/** What is wrong with `value` as an Embedder, or undefined when nothing is. */
export function embedderProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'embedder must be an object';
  const candidate = value as Partial<Record<keyof Embedder, unknown>>;
  if (typeof candidate.embed !== 'function') return 'embedder.embed(texts) must be a function';
  const { modelId, dimensions, maxBatchSize } = candidate;
  if (typeof modelId !== 'string' || modelId.length === 0 || modelId.length > MAX_MODEL_ID_LENGTH)
    return `embedder.modelId must be a string of 1 to ${MAX_MODEL_ID_LENGTH} characters`;
  if (!modelId.isWellFormed()) return 'embedder.modelId must be well-formed Unicode (no lone surrogates)';
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && (dimensions as number) > 0))
    return 'embedder.dimensions must be a positive whole number when given';
  if (
    maxBatchSize !== undefined &&
    typeof (maxBatchSize as PromiseLike<unknown>).then !== 'function' &&
    !(typeof maxBatchSize === 'number' && maxBatchSize > 0)
  )
    return 'embedder.maxBatchSize must be a positive number (or a promise of one) when given';
  return undefined;
}

/** `value` as an Embedder, or a DejaConfigError saying what is wrong (`what`: who asked). */
export function checkEmbedder(value: unknown, what: string): Embedder {
  const problem = embedderProblem(value);
  if (problem) throw new DejaConfigError(`${what}: ${problem}`);
  return value as Embedder;
}
