// A recorded stream as deja stores it, and back. Stored only when it finished cleanly: a finish
// part, no error part, a finish reason other than error/interrupted (and, decided by the caller,
// not abandoned by its consumers).
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { z } from 'zod';
import { type DejaHit, markHit, noUsage } from './hit-metadata.js';
import {
  isFilePart,
  reviveFileData,
  storedFilesValid,
  storeFileData,
  type WithStoredFile,
} from './stored-file.js';

export type StoredStreamPart = WithStoredFile<LanguageModelV4StreamPart>;

export interface StoredStream {
  parts: StoredStreamPart[];
}

type FinishPart = Extract<LanguageModelV4StreamPart, { type: 'finish' }>;

const unusableFinish = new Set(['error', 'interrupted']);

/** The finish part of a stream that ended well; undefined when the recording must not be kept. */
export function cleanFinish(parts: readonly LanguageModelV4StreamPart[]): FinishPart | undefined {
  if (parts.some((part) => part.type === 'error')) return undefined;
  const finish = parts.findLast((part): part is FinishPart => part.type === 'finish');
  return finish && !unusableFinish.has(finish.finishReason.unified) ? finish : undefined;
}

/** Keep-alive pings carry nothing worth replaying. */
export function toStoredStream(parts: readonly LanguageModelV4StreamPart[]): StoredStream {
  return { parts: parts.filter((part) => part.type !== 'ping').map(storePart) };
}

export function replayParts(stored: StoredStream, hit: DejaHit): LanguageModelV4StreamPart[] {
  return stored.parts.map((part) => markFinish(revivePart(part), hit));
}

/** The finish part of a replay: zero usage, the original usage and the hit in providerMetadata.deja. */
export function markFinish(part: LanguageModelV4StreamPart, hit: DejaHit): LanguageModelV4StreamPart {
  if (part.type !== 'finish') return part;
  return { ...part, usage: noUsage(), providerMetadata: markHit(part.providerMetadata, hit, part.usage) };
}

const storedStreamSchema = z.object({
  parts: z
    .array(z.looseObject({ type: z.string() }))
    .refine(
      (parts) => parts.some((part) => part.type === 'finish'),
      'a stored stream ends with a finish part',
    ),
});

export function isStoredStream(value: unknown): value is StoredStream {
  const parsed = storedStreamSchema.safeParse(value);
  if (!parsed.success || !storedFilesValid(parsed.data.parts)) return false;
  const finish = parsed.data.parts.findLast((part) => part.type === 'finish');
  return typeof finish?.usage === 'object' && finish.usage !== null;
}

function storePart(part: LanguageModelV4StreamPart): StoredStreamPart {
  return isFilePart(part) ? { ...part, data: storeFileData(part.data) } : part;
}

function revivePart(part: StoredStreamPart): LanguageModelV4StreamPart {
  return isFilePart(part)
    ? { ...part, data: reviveFileData(part.data) }
    : (part as LanguageModelV4StreamPart);
}
