// `@deja/core/adapter`: what a framework adapter (AI SDK, LangChain, the CLI) builds on: the schema
// pieces of deja's options with their one set of limits, parsing of strings (environment, flags)
// through them, and the key helpers. Users of deja need none of it; the root export is theirs.

// The types the schemas below produce, nameable from here (declaration emit needs a public path).
export type { Deja } from '../deja.js';
export type { Embedder } from '../embeddings/embedder.js';
export { checkEmbedder, embedderProblem } from '../embeddings/embedder-check.js';
export { modelKeySegment } from '../embeddings/model-key.js';
export type { Id } from '../ids.js';
export { canonicalJson } from '../keys/canonical.js';
export { digest, digestAsync, sha256 } from '../keys/digest.js';
export {
  cacheModeSchema,
  DAY_MS,
  dimensionsSchema,
  durationMsSchema,
  formatIssues,
  fractionSchema,
  fromString,
  MAX_DIMENSIONS,
  MAX_MODEL_ID_LENGTH,
  MAX_TTL_MS,
  modelIdSchema,
  similaritySchema,
  ttlMsSchema,
  wholeNumberSchema,
} from '../option-schemas.js';
export { JUDGE_INSTRUCTIONS, judgePrompt, parseJudgeAnswer } from '../semantic/judge-prompt.js';
export { dejaInstanceSchema, idSchema, parseAdapterOptions } from './adapter-options.js';
export type { AdapterCallSettings } from './call-settings.js';
export { callStoreOptions, mergeCallSettings } from './call-settings.js';
