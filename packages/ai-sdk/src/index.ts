export type { AiSdkEmbedderOptions } from './ai-sdk-embedder.js';
export { aiSdkEmbedder } from './ai-sdk-embedder.js';
export { dejaMiddleware } from './deja-middleware.js';
export { cachedEmbeddingModel, dejaEmbeddingMiddleware } from './embedding-middleware.js';
export type {
  DejaHit,
  DejaHitKind,
  DejaHitMetadata,
  DejaMetadata,
  DejaMissMetadata,
} from './hit-metadata.js';
export { dejaHitOf, dejaMetadataOf } from './hit-metadata.js';
export type { DejaCallOptions, DejaEmbeddingMiddlewareOptions, DejaMiddlewareOptions } from './options.js';
export type { AiSdkVerifierOptions } from './verifier.js';
export { aiSdkVerifier } from './verifier.js';
