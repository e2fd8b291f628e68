// Reporting a wrong hit (a user's thumbs-down): what it changes, as pure helpers.
// A report does two things:
// 1. a 'wrong' outcome at the hit's similarity goes into the evidence, so the error bound learns;
// 2. a marker "this entry must not answer this query again", per (tenant, query text, entry),
//    which the response cache stores with a TTL and checks before serving a candidate.
// The hit carries a reference (entry id, digest of the query text, similarity) that the adapters
// hand to the user; the tenant is never taken from it but from the call that reports, so a
// reference cannot block another tenant's entries. A forged reference can at worst make the cache
// more careful (a miss, or a stricter bound), never serve a wrong answer.
// The same per-(tenant, query, entry) key holds cached verifier verdicts, so a verdict is not
// asked twice: a report overwrites a cached 'same'; a verdict must never overwrite a report
// (write verdicts with SET NX, reports with SET). Count the report's outcome only when the marker
// was not there already (SET ... GET, or NX then SET), so repeated reports of one hit count once.
import { DejaInputError } from '../errors.js';
import { sha256 } from '../keys/digest.js';
import { type EvidenceFields, outcomeFields } from './evidence.js';

const REFERENCE_VERSION = 'dh1';
const KEY_VERSION = 'qe1';
const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** What identifies a served semantic hit for a later report. */
export interface HitReference {
  /** The served entry's id (sha256 hex, StoreEntry.id). */
  entryId: string;
  /** queryDigest() of the query text that matched it. */
  queryDigest: string;
  /** The similarity it was served at. */
  similarity: number;
}

/** The digest of a query's text as the lookup embedded it (byte-exact: no trimming or casing). */
export function queryDigest(queryText: string): string {
  return sha256(queryText);
}

/** The reference as one opaque string, for hit metadata (AI SDK) and results (LangChain). */
export function encodeHitReference(reference: HitReference): string {
  checkReference(reference);
  return `${REFERENCE_VERSION}:${reference.entryId}:${reference.queryDigest}:${reference.similarity}`;
}

/** Reads a reference a user handed back; DejaInputError when it is not one deja made. */
export function parseHitReference(text: unknown): HitReference {
  const parts = typeof text === 'string' ? text.split(':') : [];
  const [version, entryId = '', digest = '', similarityText = ''] = parts;
  const similarity = /^-?\d+(\.\d+)?(e-?\d+)?$/.test(similarityText) ? Number(similarityText) : Number.NaN;
  if (parts.length !== 4 || version !== REFERENCE_VERSION)
    throw new DejaInputError('Not a deja hit reference (expected the hitReference of a served semantic hit)');
  const reference = { entryId, queryDigest: digest, similarity };
  checkReference(reference);
  return reference;
}

function checkReference(reference: HitReference): void {
  if (!HEX_DIGEST.test(reference.entryId))
    throw new DejaInputError('A hit reference needs the entry id (64 lowercase hex characters)');
  if (!HEX_DIGEST.test(reference.queryDigest))
    throw new DejaInputError('A hit reference needs the query digest (64 lowercase hex characters)');
  if (!Number.isFinite(reference.similarity) || reference.similarity < -1 || reference.similarity > 1)
    throw new DejaInputError('A hit reference needs a similarity in [-1, 1]');
}

export interface QueryEntryKeyParts {
  /** Hex digest of the tenant id, from the reporting call (never from the reference). */
  tenantDigest: string;
  queryDigest: string;
  entryId: string;
}

/** The key content (the store adds its prefix) for the marker and cached verdicts of a pair. */
export function queryEntryKey(parts: QueryEntryKeyParts): string {
  for (const [name, value] of Object.entries(parts)) {
    if (!/^[0-9a-f]{1,64}$/.test(value)) throw new DejaInputError(`${name} must be a hex digest`);
  }
  return `${KEY_VERSION}:${parts.tenantDigest}:${parts.queryDigest}:${parts.entryId}`;
}

/** What the key holds: a cached verdict, or a report (which wins over a verdict). */
export const PAIR_MARKS = { same: 'same', different: 'different', reportedWrong: 'reported-wrong' } as const;
export type PairMark = (typeof PAIR_MARKS)[keyof typeof PAIR_MARKS];

/** Reads a stored mark; anything else is no mark (the candidate is judged afresh). */
export function parsePairMark(value: unknown): PairMark | undefined {
  const marks: readonly unknown[] = Object.values(PAIR_MARKS);
  return marks.includes(value) ? (value as PairMark) : undefined;
}

/** A candidate with this mark must not be served (without asking anyone). */
export function markBlocksServing(mark: PairMark | undefined): boolean {
  return mark === PAIR_MARKS.different || mark === PAIR_MARKS.reportedWrong;
}

export interface WrongHitFeedback {
  /** Add to the shared evidence (only when the marker was new). */
  evidence: EvidenceFields;
  /** Store PAIR_MARKS.reportedWrong here, with a TTL. */
  markerKey: string;
}

/** Everything one report of a wrong hit changes. */
export function wrongHitFeedback(reference: HitReference, tenantDigest: string): WrongHitFeedback {
  checkReference(reference);
  return {
    evidence: outcomeFields(reference.similarity, false),
    markerKey: queryEntryKey({
      tenantDigest,
      queryDigest: reference.queryDigest,
      entryId: reference.entryId,
    }),
  };
}
