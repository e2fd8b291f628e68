// A LangChain BaseCache on deja: exact lookups by (prompt, llmKey), semantic lookups by the last
// human message within the same model settings and earlier conversation, fail-open on Redis trouble.
import {
  type CacheMode,
  type Deja,
  DejaConfigError,
  DejaError,
  type DejaErrorEvent,
  type Id,
  type ResponseCache,
  type ResponseOptions,
  type ResponseRequest,
  type TenantCache,
} from '@deja/core';
import { parseAdapterOptions } from '@deja/core/adapter';
import { BaseCache } from '@langchain/core/caches';
import type { Generation } from '@langchain/core/outputs';
import { hitMetadata } from './chat-metadata.js';
import {
  markHit,
  reviveGenerations,
  type StoredGenerations,
  storeGenerations,
  usageOf,
} from './generations.js';
import { parseLlmKey } from './llm-key.js';
import { type DejaCacheOptions, dejaCacheOptionsSchema } from './options.js';
import { hasContentPlaceholder, splitPrompt } from './prompt-parts.js';

export class DejaCache extends BaseCache<Generation[]> {
  readonly tenant: Id;
  readonly user: Id | undefined;
  readonly mode: CacheMode | undefined;
  private readonly deja: Deja;
  private readonly tenantCache: TenantCache;
  private readonly responses: ResponseCache;
  private readonly settings: ResponseOptions;

  constructor(options: DejaCacheOptions) {
    super();
    const parsed = parseAdapterOptions(dejaCacheOptionsSchema, options, 'DejaCache');
    this.deja = parsed.deja;
    this.tenant = parsed.tenant;
    this.user = parsed.user;
    this.mode = parsed.mode;
    try {
      this.tenantCache = parsed.deja.tenant(parsed.tenant);
    } catch (error) {
      if (!DejaError.isInstance(error)) throw error;
      throw new DejaConfigError(`Invalid DejaCache options: tenant: ${error.message}`, { cause: error });
    }
    this.responses = this.tenantCache.responses;
    this.settings = {
      mode: parsed.mode,
      ttlMs: parsed.ttlMs,
      minSimilarity: parsed.minSimilarity,
      user: parsed.user,
    };
  }

  /** The cached generations of this prompt under these model settings, or null. Never throws on Redis trouble. */
  override async lookup(prompt: string, llmKey: string): Promise<Generation[] | null> {
    const request = requestOf(prompt, llmKey)?.request;
    if (!request) return null;
    const hit = await this.responses.lookup<StoredGenerations>(request, this.settings);
    if (!hit) return null;
    const generations = reviveGenerations(hit.value);
    if (generations) return markHit(generations, hitMetadata(hit));
    // Not something this adapter wrote (another version, another writer): a miss, and gone when it is ours to delete.
    this.report({
      kind: 'corrupt-entry',
      operation: 'langchain lookup',
      error: new Error(`entry ${hit.key} holds no LangChain generations`),
    });
    if (hit.hit === 'exact') await this.tenantCache.delete(request.key, { user: this.user });
    return null;
  }

  /** Stores what the model generated. Never throws on Redis or embedder trouble (the answer is still the app's). */
  override async update(prompt: string, llmKey: string, generations: Generation[]): Promise<void> {
    const described = requestOf(prompt, llmKey);
    if (!described || generations.length === 0) return;
    const { request, model } = described;
    const options = { ...this.settings, model, usage: usageOf(generations) };
    // Core keeps the entry exact-only when the embedder fails, and fails open on Redis trouble.
    await this.responses.store(request, storeGenerations(generations), options);
  }

  /** Through deja, so the event is counted in stats().errors as well as passed to onError. */
  private report(event: DejaErrorEvent): void {
    this.deja.report(event);
  }
}

/**
 * key: the prompt and the model settings. scope: the model settings and the conversation before
 * the semantic text, so a paraphrase only matches under the same model, call options, tools,
 * system prompt and earlier turns. Undefined when the prompt does not identify its request: a chat
 * prompt in which LangChain flattened images or files to placeholders.
 */
export function requestOf(
  prompt: string,
  llmKey: string,
): { request: ResponseRequest; model: string | undefined } | undefined {
  const parsed = parseLlmKey(llmKey);
  if (parsed.kind !== 'llm' && hasContentPlaceholder(prompt)) return undefined;
  const parts = splitPrompt(prompt, parsed.kind);
  const request = {
    key: { prompt, llmKey: parsed.normalized },
    semanticText: parts.semanticText,
    scope: { llmKey: parsed.normalized, context: parts.context },
  };
  return { request, model: parsed.model };
}
