// The settings one adapter call runs with: the call's own options over the adapter's, over the
// deja's mode. Both framework adapters merge this way; only where the options come from differs.
import type { Deja } from '../deja.js';
import { DejaInputError } from '../errors.js';
import type { Id } from '../ids.js';
import type { CacheMode } from '../option-types.js';
import type { StoreOptions } from '../responses/response-types.js';

export interface AdapterCallSettings {
  tenant: Id;
  user: Id | undefined;
  mode: CacheMode;
  ttlMs: number | undefined;
  minSimilarity: number | undefined;
  refresh: boolean;
  /** What this call's answer is built from (`tenant.invalidateTag(tag)` drops it); per call only. */
  tags: string[] | undefined;
}

type Layer = Partial<Omit<AdapterCallSettings, 'refresh' | 'tags'>> & { refresh?: boolean };

/**
 * The call's options over the adapter's defaults. `noTenant`: what to tell the user when neither
 * gives a tenant (each adapter names its own ways to pass one); a DejaInputError.
 */
export function mergeCallSettings(
  call: Layer & { tags?: string[] },
  defaults: Layer & { deja: Pick<Deja, 'options'> },
  noTenant: string,
): AdapterCallSettings {
  const tenant = call.tenant ?? defaults.tenant;
  if (tenant === undefined) throw new DejaInputError(noTenant);
  return {
    tenant,
    user: call.user ?? defaults.user,
    mode: call.mode ?? defaults.mode ?? defaults.deja.options.mode,
    ttlMs: call.ttlMs ?? defaults.ttlMs,
    minSimilarity: call.minSimilarity ?? defaults.minSimilarity,
    refresh: call.refresh ?? false,
    tags: call.tags,
  };
}

/** The response-cache options of one adapter call; `tags` only matter to a write (a lookup ignores them). */
export function callStoreOptions(
  settings: AdapterCallSettings,
  signal: AbortSignal | undefined,
): StoreOptions {
  const options: StoreOptions = { mode: settings.mode, refresh: settings.refresh };
  if (signal) options.signal = signal;
  if (settings.user !== undefined) options.user = settings.user;
  if (settings.ttlMs !== undefined) options.ttlMs = settings.ttlMs;
  if (settings.minSimilarity !== undefined) options.minSimilarity = settings.minSimilarity;
  if (settings.tags !== undefined) options.tags = settings.tags;
  return options;
}
