// The AI SDK shapes this package works with, taken from the installed `ai`'s own middleware types
// rather than from one @ai-sdk/provider major: with ai@7 they are the V4 shapes (ai@7 turns a V3
// model into V4 before any middleware sees it), with ai@6 the V3 ones. The code is written to what
// both have in common, and `tsconfig.ai6.json` type-checks it against ai@6 as well.
import type { EmbeddingModelMiddleware, LanguageModelMiddleware, wrapEmbeddingModel } from 'ai';

type WrapGenerate = Parameters<NonNullable<LanguageModelMiddleware['wrapGenerate']>>[0];
type WrapEmbed = Parameters<NonNullable<EmbeddingModelMiddleware['wrapEmbed']>>[0];

/** The language model a middleware wraps (LanguageModelV4 on ai@7, V3 on ai@6). */
export type LanguageModelSpec = WrapGenerate['model'];
export type CallOptions = WrapGenerate['params'];
export type Prompt = CallOptions['prompt'];
export type GenerateResult = Awaited<ReturnType<WrapGenerate['doGenerate']>>;
export type StreamResult = Awaited<ReturnType<WrapGenerate['doStream']>>;
export type StreamPart = StreamResult['stream'] extends ReadableStream<infer Part> ? Part : never;
export type Content = GenerateResult['content'][number];
export type Usage = GenerateResult['usage'];
export type ResponseMetadata = Pick<NonNullable<GenerateResult['response']>, 'id' | 'timestamp' | 'modelId'>;
export type ProviderMetadata = NonNullable<GenerateResult['providerMetadata']>;
export type FinishPart = Extract<StreamPart, { type: 'finish' }>;

/** The embedding model an embedding middleware wraps (EmbeddingModelV4 on ai@7, V3 on ai@6). */
export type EmbeddingModelSpec = WrapEmbed['model'];
export type EmbedOptions = WrapEmbed['params'];
export type EmbedResult = Awaited<ReturnType<WrapEmbed['doEmbed']>>;
export type EmbedWarning = EmbedResult['warnings'][number];

/** The embedding models the installed `ai` can wrap (V2, V3 and V4 on ai@7; V3 on ai@6). */
export type WrappableEmbeddingModel = Parameters<typeof wrapEmbeddingModel>[0]['model'];
export type WrappedEmbeddingModel = ReturnType<typeof wrapEmbeddingModel>;
