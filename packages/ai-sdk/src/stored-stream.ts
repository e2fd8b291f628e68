// A recorded stream as deja stores it, and back. Stored only when it finished cleanly: a finish
// part, no error part, a finish reason other than error/interrupted (and, decided by the caller,
// not abandoned by its consumers).
import { type DejaHit, type DejaMetadata, hitMetadata, noUsage, putDeja } from './hit-metadata.js';
import type { FinishPart, StreamPart } from './spec.js';
import {
  isFilePart,
  reviveFileData,
  storedFilesValid,
  storeFileData,
  type WithStoredFile,
} from './stored-file.js';
import { everyItem, hasStringType, isObject } from './stored-shape.js';

export type StoredStreamPart = WithStoredFile<StreamPart>;

export interface StoredStream {
  parts: StoredStreamPart[];
}

const unusableFinish = new Set(['error', 'interrupted']);

/** The finish part of a stream that ended well; undefined when the recording must not be kept. */
export function cleanFinish(parts: readonly StreamPart[]): FinishPart | undefined {
  if (parts.some((part) => part.type === 'error')) return undefined;
  const finish = parts.findLast((part): part is FinishPart => part.type === 'finish');
  return finish && !unusableFinish.has(finish.finishReason.unified) ? finish : undefined;
}

/** Keep-alive pings (V4 only) carry nothing worth replaying. */
export function toStoredStream(parts: readonly StreamPart[]): StoredStream {
  return { parts: parts.filter((part) => (part.type as string) !== 'ping').map(storePart) };
}

export function replayParts(stored: StoredStream, hit: DejaHit): StreamPart[] {
  return stored.parts.map((part) => markFinish(revivePart(part), hit));
}

/** The finish part of a replay: zero usage, the original usage and the hit in providerMetadata.deja. */
export function markFinish(part: StreamPart, hit: DejaHit): StreamPart {
  if (part.type !== 'finish') return part;
  const deja = hitMetadata(hit, part.usage);
  return { ...part, usage: noUsage(), providerMetadata: putDeja(part.providerMetadata, deja) };
}

/** The finish part of a fresh answer, with why the cache missed in providerMetadata.deja. */
export function markMiss(part: StreamPart, deja: DejaMetadata): StreamPart {
  if (part.type !== 'finish') return part;
  return { ...part, providerMetadata: putDeja(part.providerMetadata, deja) };
}

/** Typed parts, a finish part among them, with usage on the last one, and every stored file readable. */
export function isStoredStream(value: unknown): value is StoredStream {
  if (!isObject(value) || !everyItem(value.parts, hasStringType)) return false;
  const parts = value.parts as { type: string; usage?: unknown }[];
  if (!parts.some((part) => part.type === 'finish') || !storedFilesValid(parts)) return false;
  const finish = parts.findLast((part) => part.type === 'finish');
  return typeof finish?.usage === 'object' && finish.usage !== null;
}

function storePart(part: StreamPart): StoredStreamPart {
  return isFilePart(part) ? { ...part, data: storeFileData(part.data) } : part;
}

function revivePart(part: StoredStreamPart): StreamPart {
  return isFilePart(part) ? { ...part, data: reviveFileData(part.data) } : (part as StreamPart);
}
