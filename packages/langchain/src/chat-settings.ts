// Options of withDeja(model, ...) and of one call. A call sets them through the call option `deja`
// (`model.invoke(messages, { deja: { tenant } })`) or through the runnable config, which reaches
// every model in a chain: `chain.invoke(input, { configurable: { dejaTenant, dejaUser, dejaMode } })`.
// The call option wins over the config, the config over withDeja's options.
import { type CacheMode, type Deja, DejaInputError, type Id } from '@deja/core';
import {
  type AdapterCallSettings,
  cacheModeSchema,
  dejaInstanceSchema,
  formatIssues,
  idSchema,
  mergeCallSettings,
  similaritySchema,
  ttlMsSchema,
} from '@deja/core/adapter';
import { z } from 'zod';

/** What one call may set (call option `deja`); every field overrides withDeja's. */
export interface DejaChatCallOptions {
  /** The tenant of this call. Default: `configurable.dejaTenant`, else withDeja's `tenant`. */
  tenant?: Id;
  /** Entries only this user's lookups see. Default: `configurable.dejaUser`, else withDeja's `user`. */
  user?: Id;
  /** `'off'` skips the cache for this call. Default: `configurable.dejaMode`, else withDeja's, else the deja's. */
  mode?: CacheMode;
  /** Time to live of the entry, ms. */
  ttlMs?: number;
  /** Cosine similarity a semantic hit needs, in [0, 1]. */
  minSimilarity?: number;
  /** Skip the lookup, call the model, overwrite the entry. Default false. */
  refresh?: boolean;
  /**
   * What the answer is built from (e.g. `['doc:42']`): `tenant.invalidateTag('doc:42')` drops it.
   * Non-empty strings, at most 32 of 256 characters each (checked by deja).
   */
  tags?: string[];
}

/** Options of `withDeja(model, ...)`. */
export interface WithDejaOptions {
  /** The deja to cache in (createDeja()). */
  deja: Deja;
  /** Default tenant; a call with none (here, in the config or the call option) is refused. */
  tenant?: Id;
  /** Default user: entries only this user's lookups see. */
  user?: Id;
  /** `'exact'`, `'semantic'` or `'off'`. Default: the deja's mode. */
  mode?: CacheMode;
  /** Time to live of an entry, ms. Default: the deja's `ttlMs`. */
  ttlMs?: number;
  /** Cosine similarity a semantic hit needs, in [0, 1]. Default: the deja's `minSimilarity`. */
  minSimilarity?: number;
}

/** The `configurable` keys withDeja reads from the runnable config. */
export const CONFIG_KEYS = { tenant: 'dejaTenant', user: 'dejaUser', mode: 'dejaMode' } as const;

export const withDejaOptionsSchema = z
  .object({
    deja: dejaInstanceSchema,
    tenant: idSchema.optional(),
    user: idSchema.optional(),
    mode: cacheModeSchema.optional(),
    ttlMs: ttlMsSchema.optional(),
    minSimilarity: similaritySchema.optional(),
  })
  .strict();

export const chatCallOptionsSchema = z
  .object({
    tenant: idSchema.optional(),
    user: idSchema.optional(),
    mode: cacheModeSchema.optional(),
    ttlMs: ttlMsSchema.optional(),
    minSimilarity: similaritySchema.optional(),
    refresh: z.boolean({ message: 'refresh must be true or false' }).optional(),
    tags: z.array(z.string({ message: 'tags must be strings' })).optional(),
  })
  .strict();

/** The settings one call runs with: the call option over the config over withDeja's. */
export type ChatCallSettings = AdapterCallSettings;

/** The deja call options the runnable config carries (`configurable.dejaTenant` ...), if any. */
export function fromConfigurable(configurable: Record<string, unknown> | undefined): DejaChatCallOptions {
  const options: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(CONFIG_KEYS)) {
    if (configurable?.[key] !== undefined) options[field] = configurable[key];
  }
  return options as DejaChatCallOptions;
}

/** Merges the call's options over withDeja's; bad input is a DejaInputError. */
export function resolveChatSettings(
  defaults: z.output<typeof withDejaOptionsSchema>,
  raw: unknown,
): ChatCallSettings {
  const parsed = chatCallOptionsSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new DejaInputError(`Invalid deja call options: ${formatIssues(parsed.error)}`);
  return mergeCallSettings(
    parsed.data,
    defaults,
    'No tenant for this call: pass withDeja(model, { tenant }), configurable.dejaTenant or the call option deja.tenant',
  );
}
