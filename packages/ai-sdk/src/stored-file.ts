// File data that JSON cannot carry as is. Bytes survive deja's payload codec (Uint8Array is
// tagged); a URL object does not, so it is stored as its href and made a URL again on replay.
import type { SharedV4FileDataData, SharedV4FileDataUrl } from '@ai-sdk/provider';

type FileData = SharedV4FileDataData | SharedV4FileDataUrl;
type StoredUrl = Omit<SharedV4FileDataUrl, 'url'> & { href: string };
export type StoredFileData = SharedV4FileDataData | StoredUrl;

/** A part type with its file data in stored form (for parts that carry files; others unchanged). */
export type WithStoredFile<T> = T extends { data: FileData } ? Omit<T, 'data'> & { data: StoredFileData } : T;

type FilePart = { type: 'file' | 'reasoning-file'; data: FileData };
type StoredFilePart = { type: 'file' | 'reasoning-file'; data: StoredFileData };

export function isFilePart<T extends { type: string }>(part: T): part is T & FilePart {
  return part.type === 'file' || part.type === 'reasoning-file';
}

export function storeFileData(data: FileData): StoredFileData {
  if (data.type !== 'url') return data;
  const { url, ...rest } = data;
  return { ...rest, href: String(url) };
}

export function reviveFileData(data: StoredFileData): FileData {
  if (data.type !== 'url') return data;
  const { href, ...rest } = data;
  return { ...rest, url: new URL(href) };
}

/** True when every stored file URL parses again (a tampered href must be a miss, not a throw). */
export function storedFilesValid(parts: readonly { type: string }[]): boolean {
  return parts.every((part) => {
    if (!isFilePart(part as StoredFilePart)) return true;
    const data = (part as StoredFilePart).data as StoredFileData | undefined;
    if (typeof data !== 'object' || data === null) return false;
    if (data.type === 'url') return typeof data.href === 'string' && URL.canParse(data.href);
    return data.type === 'data' && (typeof data.data === 'string' || data.data instanceof Uint8Array);
  });
}
