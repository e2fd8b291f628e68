export { DejaCache } from './deja-cache.js';
export { DejaEmbeddings } from './deja-embeddings.js';
export { langchainEmbedder } from './langchain-embedder.js';
export type { DejaCacheOptions, DejaEmbeddingsOptions, LangchainEmbedderOptions } from './options.js';
export type { JudgeChatModel } from './verifier.js';
export { langchainVerifier } from './verifier.js';
