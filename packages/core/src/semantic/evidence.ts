// The evidence behind the error bound: observed outcomes of semantic candidates (was the cached
// answer right for the query?) counted per similarity bin. Binned counters, not a list of
// observations, so that every process can share them through one Redis hash with additive
// HINCRBY deltas (no read-modify-write, no lost updates) and the whole of it stays small: at most
// 2 * SIMILARITY_BINS fields.
//
// Wire format: fields `e1:<bin>:r` (right) and `e1:<bin>:w` (wrong) with whole, non-negative
// counts. `e1` is the format version: a future format writes other fields and this one ignores
// them. Reading validates every field; foreign, corrupt or negative fields are left out (they
// would make the cache serve more, never less, if trusted).

/**
 * Bins per unit of similarity: bin b holds similarities in [b / 100, (b + 1) / 100). A threshold
 * finer than 0.01 buys nothing, and every extra bin is one more threshold the bound must cover.
 */
export const SIMILARITY_BINS = 100;
const FIELD_VERSION = 'e1';
const FIELD_PATTERN = /^e1:(\d{1,3}):([rw])$/;

/** Counts per bin (index = bin). Treat as immutable: every function here returns a new one. */
export interface Evidence {
  readonly right: readonly number[];
  readonly wrong: readonly number[];
}

/** Additive deltas in the wire format (what HINCRBY adds and HGETALL returns). */
export type EvidenceFields = Record<string, number>;

export function emptyEvidence(): Evidence {
  return { right: new Array(SIMILARITY_BINS).fill(0), wrong: new Array(SIMILARITY_BINS).fill(0) };
}

/**
 * The bin of a similarity. The small epsilon keeps 0.29 in bin 29 although 0.29 * 100 is
 * 28.999999999999996 in floating point; 1 (and above) goes into the top bin, negatives into bin 0.
 */
export function similarityBin(similarity: number): number {
  const bin = Math.floor(similarity * SIMILARITY_BINS + 1e-9);
  return Math.min(SIMILARITY_BINS - 1, Math.max(0, bin));
}

/** The lowest similarity in a bin: a threshold at this bin serves similarities >= this. */
export function binFloor(bin: number): number {
  return bin / SIMILARITY_BINS;
}

function field(bin: number, correct: boolean): string {
  return `${FIELD_VERSION}:${bin}:${correct ? 'r' : 'w'}`;
}

/** The delta of one observed outcome at a similarity. */
export function outcomeFields(similarity: number, correct: boolean): EvidenceFields {
  return { [field(similarityBin(similarity), correct)]: 1 };
}

/** a + b, field by field (neither is changed); fields not in the wire format are dropped. */
export function mergeFields(a: EvidenceFields, b: EvidenceFields): EvidenceFields {
  const merged: EvidenceFields = {};
  for (const source of [a, b]) {
    for (const [name, count] of Object.entries(source)) {
      // The pattern check also keeps names like __proto__ out of the plain object.
      if (!FIELD_PATTERN.test(name) || !Number.isSafeInteger(count)) continue;
      merged[name] = (merged[name] ?? 0) + count;
    }
  }
  return merged;
}

/** Evidence from what was read from the shared store; anything not a valid count is ignored. */
export function parseEvidence(fields: Record<string, unknown>): Evidence {
  return addFields(emptyEvidence(), fields);
}

/** Evidence plus deltas (validated like a read). */
export function addFields(evidence: Evidence, fields: Record<string, unknown>): Evidence {
  const right = [...evidence.right];
  const wrong = [...evidence.wrong];
  for (const [name, raw] of Object.entries(fields)) {
    const match = FIELD_PATTERN.exec(name);
    // Redis returns strings; stores that parse counters give numbers. Both are accepted.
    const count = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
    if (!match || typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) continue;
    const bin = Number(match[1]);
    if (bin >= SIMILARITY_BINS) continue;
    if (match[2] === 'r') right[bin] = (right[bin] ?? 0) + count;
    else wrong[bin] = (wrong[bin] ?? 0) + count;
  }
  return { right, wrong };
}

/** The wire format of a whole Evidence (zero bins left out). */
export function serializeEvidence(evidence: Evidence): EvidenceFields {
  const fields: EvidenceFields = {};
  for (let bin = 0; bin < SIMILARITY_BINS; bin++) {
    const right = evidence.right[bin] ?? 0;
    const wrong = evidence.wrong[bin] ?? 0;
    if (right > 0) fields[field(bin, true)] = right;
    if (wrong > 0) fields[field(bin, false)] = wrong;
  }
  return fields;
}

/** Total observations (for reports and cold-start checks). */
export function evidenceSize(evidence: Evidence): { right: number; wrong: number } {
  const sum = (counts: readonly number[]) => counts.reduce((total, count) => total + count, 0);
  return { right: sum(evidence.right), wrong: sum(evidence.wrong) };
}

/**
 * Where the evidence is shared (the lead implements it over the store's additive counters, owner
 * e.g. 'evidence' per namespace or scope). `add` must be additive (HINCRBY), never a replace.
 */
export interface EvidenceStore {
  read(): Promise<Record<string, number>>;
  add(deltas: Record<string, number>): Promise<void>;
}

/** An in-process EvidenceStore (tests, single-process use): a plain additive counter map. */
export function memoryEvidenceStore(): EvidenceStore & { readonly fields: EvidenceFields } {
  let fields: EvidenceFields = {};
  return {
    get fields() {
      return { ...fields };
    },
    async read() {
      return { ...fields };
    },
    async add(deltas) {
      fields = mergeFields(fields, deltas);
    },
  };
}
