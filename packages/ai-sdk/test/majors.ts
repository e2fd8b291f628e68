// The two AI SDK majors the adapter supports, for suites that run once per major: ai@7 with
// LanguageModelV4 mocks, and ai@6 (the `ai-v6` dev alias) with LanguageModelV3 mocks, so under
// ai@6 the middleware itself sees V3 calls and results. The ai@6 functions are typed as their
// ai@7 counterparts: the suites use only what both majors share, and tsconfig.ai6.json checks the
// sources against ai@6's own types.
import * as ai7 from 'ai';
import * as ai7test from 'ai/test';
import * as ai6 from 'ai-v6';
import * as ai6test from 'ai-v6/test';

export interface Major {
  /** For test titles. */
  name: string;
  /** The specification version the middleware sees. */
  spec: 'v3' | 'v4';
  generateText: typeof ai7.generateText;
  streamText: typeof ai7.streamText;
  wrapLanguageModel: typeof ai7.wrapLanguageModel;
  embed: typeof ai7.embed;
  embedMany: typeof ai7.embedMany;
  wrapEmbeddingModel: typeof ai7.wrapEmbeddingModel;
  Output: typeof ai7.Output;
  tool: typeof ai7.tool;
  MockLanguageModel: typeof ai7test.MockLanguageModelV4;
  MockEmbeddingModel: typeof ai7test.MockEmbeddingModelV4;
}

export const AI7: Major = {
  name: 'ai@7 (LanguageModelV4)',
  spec: 'v4',
  generateText: ai7.generateText,
  streamText: ai7.streamText,
  wrapLanguageModel: ai7.wrapLanguageModel,
  embed: ai7.embed,
  embedMany: ai7.embedMany,
  wrapEmbeddingModel: ai7.wrapEmbeddingModel,
  Output: ai7.Output,
  tool: ai7.tool,
  MockLanguageModel: ai7test.MockLanguageModelV4,
  MockEmbeddingModel: ai7test.MockEmbeddingModelV4,
};

export const AI6: Major = {
  name: 'ai@6 (LanguageModelV3)',
  spec: 'v3',
  generateText: ai6.generateText as unknown as Major['generateText'],
  streamText: ai6.streamText as unknown as Major['streamText'],
  wrapLanguageModel: ai6.wrapLanguageModel as unknown as Major['wrapLanguageModel'],
  embed: ai6.embed as unknown as Major['embed'],
  embedMany: ai6.embedMany as unknown as Major['embedMany'],
  wrapEmbeddingModel: ai6.wrapEmbeddingModel as unknown as Major['wrapEmbeddingModel'],
  Output: ai6.Output as unknown as Major['Output'],
  tool: ai6.tool as unknown as Major['tool'],
  MockLanguageModel: ai6test.MockLanguageModelV3 as unknown as Major['MockLanguageModel'],
  MockEmbeddingModel: ai6test.MockEmbeddingModelV3 as unknown as Major['MockEmbeddingModel'],
};

export const MAJORS: readonly Major[] = [AI7, AI6];

/** Every (major, store) pair as [major's name, store, major], for `describe.each` titled '%s on %s'. */
export function majorsTimes<Kind extends string>(kinds: readonly Kind[]): [string, Kind, Major][] {
  return MAJORS.flatMap((major) => kinds.map((kind): [string, Kind, Major] => [major.name, kind, major]));
}
