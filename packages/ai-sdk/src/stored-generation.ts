// A generate result as deja stores it, and back. What is kept: content (text, reasoning, tool
// calls and results, sources, files), finish reason, usage, warnings, provider metadata, the
// structured-output text and the response id/timestamp/model. What is not: the HTTP request and
// response (headers, bodies) — a replay made no HTTP call, so it reports none.
import { type DejaHit, markHit, noUsage } from './hit-metadata.js';
import type { Content, GenerateResult, ResponseMetadata } from './spec.js';
import {
  isFilePart,
  reviveFileData,
  storedFilesValid,
  storeFileData,
  type WithStoredFile,
} from './stored-file.js';
import {
  everyItem,
  hasStringType,
  isObject,
  isOptionalDate,
  isOptionalString,
  isRecordOf,
} from './stored-shape.js';

export type StoredContent = WithStoredFile<Content>;

export type StoredGeneration = Omit<GenerateResult, 'content' | 'request' | 'response'> & {
  content: StoredContent[];
  response?: ResponseMetadata;
  /** V4 only (ai@7): the text of structured output; ai@6's V3 results have no such field. */
  structuredOutputText?: string;
};

const unusableFinish = new Set(['error', 'interrupted']);

/** A failed or cut-off generation is returned to its caller but never replayed to another. */
export function worthCaching(generation: StoredGeneration): boolean {
  return !unusableFinish.has(generation.finishReason.unified);
}

export function toStoredGeneration(result: GenerateResult): StoredGeneration {
  const stored: StoredGeneration = {
    content: result.content.map(storeContent),
    finishReason: result.finishReason,
    usage: result.usage,
    warnings: result.warnings,
  };
  if (result.providerMetadata !== undefined) stored.providerMetadata = result.providerMetadata;
  const { structuredOutputText } = result as { structuredOutputText?: string };
  if (structuredOutputText !== undefined) stored.structuredOutputText = structuredOutputText;
  if (result.response) {
    const { id, timestamp, modelId } = result.response;
    stored.response = { id, timestamp, modelId };
  }
  return stored;
}

export function replayGeneration(stored: StoredGeneration, hit: DejaHit): GenerateResult {
  return {
    ...stored,
    content: stored.content.map(reviveContent),
    usage: noUsage(),
    providerMetadata: markHit(stored.providerMetadata, hit, stored.usage),
  };
}

/**
 * A cached value that is not a generation this version stored (tampered, other layout) is not
 * replayed. The shape it needs: content and warnings typed parts, a finish reason, usage with its
 * two token objects, optional provider metadata (objects by provider), structured-output text and
 * response id/timestamp/model; and every stored file readable.
 */
export function isStoredGeneration(value: unknown): value is StoredGeneration {
  if (!isObject(value)) return false;
  const { content, finishReason, usage, warnings, providerMetadata, structuredOutputText, response } = value;
  return (
    everyItem(content, hasStringType) &&
    isObject(finishReason) &&
    typeof finishReason.unified === 'string' &&
    isObject(usage) &&
    isObject(usage.inputTokens) &&
    isObject(usage.outputTokens) &&
    everyItem(warnings, hasStringType) &&
    (providerMetadata === undefined || isRecordOf(providerMetadata, isObject)) &&
    isOptionalString(structuredOutputText) &&
    (response === undefined ||
      (isObject(response) &&
        isOptionalString(response.id) &&
        isOptionalDate(response.timestamp) &&
        isOptionalString(response.modelId))) &&
    storedFilesValid(content as { type: string }[])
  );
}

function storeContent(part: Content): StoredContent {
  return isFilePart(part) ? { ...part, data: storeFileData(part.data) } : part;
}

function reviveContent(part: StoredContent): Content {
  return isFilePart(part) ? { ...part, data: reviveFileData(part.data) } : (part as Content);
}
