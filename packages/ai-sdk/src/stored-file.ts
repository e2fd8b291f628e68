// File data that JSON cannot carry as is. V4 parts (ai@7) hold `{ type: 'data', data }` or
// `{ type: 'url', url }`; V3 parts (ai@6) hold a base64 string or bytes. Bytes survive deja's
// payload codec (Uint8Array is tagged) and strings are JSON; a URL object does not, so it is
// stored as its href and made a URL again on replay.
import type { Content } from './spec.js';

type FileData = Extract<Content, { type: 'file' }>['data'];
type UrlData = { type: 'url'; url: URL };
type StoredUrl = { type: 'url'; href: string };
export type StoredFileData = Exclude<FileData, UrlData> | StoredUrl;

/** A part type with its file data in stored form (for parts that carry files; others unchanged). */
export type WithStoredFile<T> = T extends { data: FileData } ? Omit<T, 'data'> & { data: StoredFileData } : T;

type FilePart = { type: 'file' | 'reasoning-file'; data: FileData };
type StoredFilePart = { type: 'file' | 'reasoning-file'; data: StoredFileData };

export function isFilePart<T extends { type: string }>(part: T): part is T & FilePart {
  return part.type === 'file' || part.type === 'reasoning-file';
}

function isUrlData(data: unknown): data is UrlData {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'url';
}

export function storeFileData(data: FileData): StoredFileData {
  if (!isUrlData(data)) return data as Exclude<FileData, UrlData>;
  const { url, ...rest } = data as UrlData;
  return { ...rest, href: String(url) };
}

export function reviveFileData(data: StoredFileData): FileData {
  if (!isUrlData(data)) return data as FileData;
  const { href, ...rest } = data as unknown as StoredUrl;
  return { ...rest, url: new URL(href) } as unknown as FileData;
}

/** True when every stored file is readable again (a tampered one must be a miss, not a throw). */
export function storedFilesValid(parts: readonly { type: string }[]): boolean {
  return parts.every((part) => {
    if (!isFilePart(part as StoredFilePart)) return true;
    const data = (part as StoredFilePart).data as unknown;
    // V3: a base64 string or the bytes themselves.
    if (typeof data === 'string' || data instanceof Uint8Array) return true;
    if (typeof data !== 'object' || data === null) return false;
    const stored = data as { type?: unknown; href?: unknown; data?: unknown };
    if (stored.type === 'url') return typeof stored.href === 'string' && URL.canParse(stored.href);
    return stored.type === 'data' && (typeof stored.data === 'string' || stored.data instanceof Uint8Array);
  });
}
