// The one definition of a response entry in Redis: a hash whose fields, Redis index attributes and
// encoding live here and nowhere else. FT.CREATE (create-index.ts), the HSET of a write
// (entry-commands.ts), the fields read back (HMGET, FT.SEARCH RETURN), decoding, and the check of
// an existing index (index-info.ts) are all derived from ENTRY_SCHEMA: adding a field is one edit.
//
// `ns` marks an entry as written by the deja of this namespace (prefix): every query filters on
// it and every read checks it, so a neighbouring deja's entries under a nested prefix, or an
// application's own hashes under ours, are never served, counted or deleted. `model` names the
// embedder a vector came from. `bucket` is one digest of (ns, tenant, scope, user, model): the KNN
// filters on it alone (bucket.ts), so two models' vectors are never compared.
import { vectorToBytes } from '../../vectors.js';
import type { StoredEntry, StoreEntry } from '../types.js';
import { bucketOf } from './bucket.js';

export const INDEX_ATTRIBUTE = {
  TEXT: 'TEXT',
  TAG: 'TAG',
  NUMERIC: 'NUMERIC',
  VECTOR: 'VECTOR',
  NONE: 'NONE',
} as const;
export type IndexAttribute = (typeof INDEX_ATTRIBUTE)[keyof typeof INDEX_ATTRIBUTE];

interface FieldDefinition {
  /** How the Query Engine indexes it; NONE: stored, not indexed. */
  attribute: IndexAttribute;
  /** NUMERIC SORTABLE. */
  sortable?: boolean;
  /**
   * Added after indexes were first made: an older index gets it with FT.ALTER (index-manager.ts).
   * Entries written before had no such field, so nothing needs indexing again.
   */
  addedLater?: boolean;
  /** The hash value of an entry (`ns`: the writer's namespace marker), or undefined to leave it out. */
  encode(entry: StoreEntry, ns: string): string | Buffer | undefined;
}

/** Field name -> definition, in the order the fields are written and read. */
export const ENTRY_SCHEMA = {
  text: { attribute: 'TEXT', encode: (entry) => entry.text },
  ns: { attribute: 'TAG', encode: (_, ns) => ns },
  tenant: { attribute: 'TAG', encode: (entry) => entry.tenant },
  user: { attribute: 'TAG', encode: (entry) => entry.user },
  scope: { attribute: 'TAG', encode: (entry) => entry.scope },
  model: { attribute: 'TAG', encode: (entry) => entry.model ?? NO_MODEL },
  // Entries written before it have none: an older index gets the field, and they leave semantic
  // search (their exact key still answers) until rewritten or expired.
  bucket: {
    attribute: 'TAG',
    addedLater: true,
    encode: (entry, ns) =>
      bucketOf({
        ns,
        tenant: entry.tenant,
        scope: entry.scope,
        user: entry.user,
        model: entry.model ?? NO_MODEL,
      }),
  },
  // Hex digests joined by ',' (the TAG separator): no user text reaches a query (tags.ts).
  tags: {
    attribute: 'TAG',
    addedLater: true,
    encode: (entry) => (entry.tags?.length ? entry.tags.join(TAG_SEPARATOR) : undefined),
  },
  created_at: { attribute: 'NUMERIC', sortable: true, encode: (entry) => String(entry.createdAt) },
  response: { attribute: 'NONE', encode: (entry) => entry.response },
  meta: { attribute: 'NONE', encode: (entry) => entry.meta },
  embedding: {
    attribute: 'VECTOR',
    encode: (entry) => (entry.embedding ? vectorToBytes(entry.embedding) : undefined),
  },
} as const satisfies Record<string, FieldDefinition>;

export type EntryField = keyof typeof ENTRY_SCHEMA;

/** How the `tags` field joins an entry's tag digests (RediSearch's default TAG separator). */
export const TAG_SEPARATOR = ',';

/** The `model` tag of an entry written without a model (a tag filter cannot ask for "absent"). */
export const NO_MODEL = '0';
type SchemaEntries = [EntryField, FieldDefinition][];
const SCHEMA_ENTRIES = Object.entries(ENTRY_SCHEMA) as SchemaEntries;

/** The fields a read asks for: everything but the vector, which callers never need back. */
export const READ_FIELDS = SCHEMA_ENTRIES.filter(([, field]) => field.attribute !== 'VECTOR').map(
  ([name]) => name,
);
/** Each read field's position in READ_FIELDS (an HMGET reply). */
const READ_INDEX = Object.fromEntries(READ_FIELDS.map((name, index) => [name, index])) as Record<
  EntryField,
  number
>;
/** The fields a query may filter on with `@name:{digest}`. */
export const TAG_FIELDS = SCHEMA_ENTRIES.filter(([, field]) => field.attribute === 'TAG').map(
  ([name]) => name,
);
/** Indexed fields an index made by an older deja may lack, and may be given (FT.ALTER … ADD). */
export const ADDED_LATER_FIELDS = SCHEMA_ENTRIES.filter(
  ([, field]) => 'addedLater' in field && field.addedLater,
).map(([name, field]) => ({ name, attribute: field.attribute }));
export const VECTOR_FIELD = 'embedding' satisfies EntryField;
/**
 * On Redis 8 without the Query Engine, the name of the vector set holding the entry's vector
 * (vector-set-commands.ts): written with the entry, read only by scripts (a delete removes the
 * element from that set; a lookup prunes elements whose entry no longer names their set). Not part
 * of ENTRY_SCHEMA: it is bookkeeping of the store, never indexed or read back as entry data.
 */
export const VECTOR_SET_FIELD = 'vset';

/** The FT.CREATE SCHEMA part for every indexed field; `vector` gives the vector field's arguments. */
export function indexSchemaArgs(vector: string[]): string[] {
  const args: string[] = [];
  for (const [name, field] of SCHEMA_ENTRIES) {
    if (field.attribute === 'NONE') continue;
    args.push(name, field.attribute);
    if (field.attribute === 'VECTOR') args.push(...vector);
    if (field.sortable) args.push('SORTABLE');
  }
  return args;
}

/** HSET's field/value pairs of an entry written by namespace `ns`. */
export function entryHashFields(entry: StoreEntry, ns: string): (string | Buffer)[] {
  const fields: (string | Buffer)[] = [];
  for (const [name, field] of SCHEMA_ENTRIES) {
    const value = field.encode(entry, ns);
    if (value !== undefined) fields.push(name, value);
  }
  return fields;
}

/** A hash at an entry's key that this namespace did not write (no or another `ns` marker). */
export const FOREIGN = 'foreign';

/**
 * READ_FIELDS values (HMGET order, or a name -> value record from FT.SEARCH) -> the entry.
 * undefined when no field exists (no entry); FOREIGN when the hash is not this namespace's (`ns`);
 * other fields that are missing read as empty, which the cache's validation rejects (a damaged
 * entry, which it deletes).
 */
export function decodeEntryFields(
  id: string,
  values: (string | null | undefined)[] | Record<string, string | null | undefined>,
  ns: string,
): StoredEntry | typeof FOREIGN | undefined {
  // HMGET gives READ_FIELDS' order, FT.SEARCH a record: read by position or by name, no copy.
  const field: (name: EntryField) => string | undefined = Array.isArray(values)
    ? (name) => values[READ_INDEX[name]] ?? undefined
    : (name) => values[name] ?? undefined;
  if (READ_FIELDS.every((name) => field(name) === undefined)) return undefined;
  if (field('ns') !== ns) return FOREIGN;
  const model = field('model');
  const tags = field('tags');
  return {
    ...(model && model !== NO_MODEL ? { model } : {}),
    ...(tags ? { tags: tags.split(TAG_SEPARATOR) } : {}),
    id,
    tenant: field('tenant') ?? '',
    user: field('user') ?? '',
    scope: field('scope') ?? '',
    text: field('text') ?? '',
    response: field('response') ?? '',
    meta: field('meta') ?? '{}',
    createdAt: Number(field('created_at') ?? 0),
  };
}
