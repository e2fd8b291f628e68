// withDeja(model, options): any LangChain chat model behind deja's response cache, for .invoke(),
// .batch(), .stream() and streamEvents alike. Unlike DejaCache (a BaseCache, which LangChain
// consults for invoke only and hands no run config), the wrapper sees each call whole: its config
// (tenant, user and opt-out per call), its streaming, and its callbacks.
import { DejaConfigError } from '@deja/core';
import { callStoreOptions, parseAdapterOptions } from '@deja/core/adapter';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import { RunnableBinding } from '@langchain/core/runnables';
import {
  type DejaChatMetadata,
  hitMetadata,
  markMessage,
  markOf,
  markReplay,
  missMetadata,
  SHARED,
} from './chat-metadata.js';
import { chatRequest, withoutVolatileOptions } from './chat-request.js';
import {
  type DejaChatCallOptions,
  fromConfigurable,
  resolveChatSettings,
  type WithDejaOptions,
  withDejaOptionsSchema,
} from './chat-settings.js';
import { chunkOf, emit, relayChunks, replayChunks } from './chat-stream.js';
import { usageOf } from './generations.js';
import { parseLlmKey } from './llm-key.js';
import { isStoredChat, reviveResult, type StoredChat, type StoredChunk, storeResult } from './stored-chat.js';

export interface DejaChatModelCallOptions extends BaseChatModelCallOptions {
  /** This call's deja settings (tenant, user, mode: 'off' to skip the cache, refresh...). */
  deja?: DejaChatCallOptions;
}

const MODE_OFF = missMetadata({ reason: 'mode-off' });
const REFRESH = missMetadata({ reason: 'refresh' });

export class DejaChatModel extends BaseChatModel<DejaChatModelCallOptions, AIMessageChunk> {
  /** The model whose answers are cached. */
  readonly model: BaseChatModel;
  private readonly settings: ReturnType<typeof withDejaOptionsSchema.parse>;

  constructor(model: BaseChatModel, options: WithDejaOptions) {
    super({});
    if (typeof (model as Partial<BaseChatModel>)?._generate !== 'function') {
      throw new DejaConfigError('withDeja needs a LangChain chat model (a BaseChatModel)');
    }
    this.model = model;
    this.settings = parseAdapterOptions(withDejaOptionsSchema, options, 'withDeja');
  }

  static override lc_name(): string {
    return 'DejaChatModel';
  }

  _llmType(): string {
    // BaseChatModel reads it while constructing (lc_namespace), before `model` is set.
    return this.model ? this.model._llmType() : 'deja';
  }

  override _identifyingParams(): Record<string, unknown> {
    return this.model._identifyingParams();
  }

  override invocationParams(options?: this['ParsedCallOptions']): unknown {
    return this.model.invocationParams(options && withoutVolatileOptions(options));
  }

  /** Tools are bound as the model binds them (call options), on the wrapper, so they key the cache. */
  // The return type is written out: the inferred one names @langchain/core 1.4's generic message
  // types, which the oldest @langchain/core this package supports (1.0) does not have.
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<DejaChatModelCallOptions>,
  ): RunnableBinding<BaseLanguageModelInput, AIMessageChunk, DejaChatModelCallOptions> {
    const bound = this.model.bindTools?.(tools, kwargs);
    if (!bound || !RunnableBinding.isRunnableBinding(bound) || bound.bound !== this.model) {
      throw new DejaConfigError(
        `withDeja: ${this.model.getName()} does not bind tools as call options; wrap the bound model instead`,
      );
    }
    return new RunnableBinding({ bound: this, kwargs: bound.kwargs ?? {}, config: bound.config });
  }

  /** Every call path passes here: the run config's `configurable.deja*` become the `deja` call option. */
  protected override _separateRunnableConfigFromCallOptionsCompat(
    options?: Partial<DejaChatModelCallOptions>,
  ): [ReturnType<BaseChatModel['_separateRunnableConfigFromCallOptions']>[0], this['ParsedCallOptions']] {
    const [config, callOptions] = super._separateRunnableConfigFromCallOptionsCompat(options);
    const fromConfig = fromConfigurable(config.configurable);
    if (Object.keys(fromConfig).length > 0) callOptions.deja = { ...fromConfig, ...callOptions.deja };
    return [config, callOptions];
  }

  override async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const settings = resolveChatSettings(this.settings, options.deja);
    const inner = withoutDejaOption(options);
    const generate = () => this.model._generate(messages, inner, runManager);
    if (settings.mode === 'off') return finish(await generate(), MODE_OFF, runManager);
    const { request, model } = this.requestOf(messages, inner);
    const responses = this.settings.deja.tenant(settings.tenant).responses;
    let fresh: ChatResult | undefined;
    const compute = async (): Promise<StoredChat | undefined> => {
      fresh = await generate();
      return storeResult(fresh);
    };
    const wrapOptions = {
      ...callStoreOptions(settings, options.signal),
      shouldCache: (value: StoredChat | undefined) => value !== undefined,
      describe: () => ({ model, usage: fresh && usageOf(fresh.generations) }),
    };
    let result = await responses.wrap(request, compute, wrapOptions);
    if (result.hit !== 'miss' && !isStoredChat(result.value)) {
      // An entry this version cannot replay: answer afresh and overwrite it.
      result = await responses.wrap(request, compute, { ...wrapOptions, refresh: true });
    }
    if (result.hit !== 'miss')
      return finish(reviveResult(result.value as StoredChat), hitMetadata(result), runManager);
    if (fresh && !result.shared) return finish(fresh, missMetadata(result), runManager);
    // Another call's answer: replayed when it was storable, else this call asks the model itself.
    if (result.value) return finish(reviveResult(result.value), SHARED, runManager);
    return finish(await generate(), missMetadata(result), runManager);
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const settings = resolveChatSettings(this.settings, options.deja);
    const inner = withoutDejaOption(options);
    if (!this.modelStreams()) {
      const result = await this._generate(messages, options, runManager);
      for (const generation of result.generations) yield chunkOf(generation);
      return;
    }
    const source = () => this.model._streamResponseChunks(messages, inner, runManager);
    if (settings.mode === 'off') {
      yield* relayChunks(source(), MODE_OFF, runManager);
      return;
    }
    const { request, model } = this.requestOf(messages, inner);
    const responses = this.settings.deja.tenant(settings.tenant).responses;
    const lookupOptions = callStoreOptions(settings, options.signal);
    let miss = REFRESH;
    if (!settings.refresh) {
      const found = await responses.find(request, lookupOptions);
      if (found.hit !== 'miss' && isStoredChat(found.value)) {
        yield* replayChunks(found.value, hitMetadata(found), runManager);
        return;
      }
      // An entry this version cannot replay is overwritten by the fresh answer below.
      if (found.hit === 'miss') miss = missMetadata(found);
    }
    const recorded: StoredChunk[] = [];
    yield* relayChunks(source(), miss, runManager, recorded);
    // Reached only when the model's stream ended by itself and the consumer read it to the end.
    if (options.signal?.aborted || recorded.length === 0) return;
    // Stored chunks keep each message's fields, usage_metadata among them, as usageOf reads them.
    const usage = usageOf(recorded as unknown as Parameters<typeof usageOf>[0]);
    await responses.store(request, { chunks: recorded }, { ...lookupOptions, model, usage });
  }

  private requestOf(messages: BaseMessage[], inner: this['ParsedCallOptions']) {
    const llmKey = this.model._getSerializedCacheKeyParametersForCall(withoutVolatileOptions(inner));
    return { request: chatRequest(messages, llmKey), model: parseLlmKey(llmKey).model };
  }

  /** Whether the wrapped model streams by itself (BaseChatModel's own throws "Not implemented"). */
  private modelStreams(): boolean {
    return (
      !this.model.disableStreaming &&
      this.model._streamResponseChunks !== BaseChatModel.prototype._streamResponseChunks
    );
  }
}

function withoutDejaOption<T extends { deja?: unknown }>(options: T): T {
  const { deja: _deja, ...inner } = options;
  return inner as T;
}

/** Marks an invoke result (hits: zero usage, original usage kept) and sends the `deja` event. */
async function finish(
  result: ChatResult,
  metadata: DejaChatMetadata,
  runManager: CallbackManagerForLLMRun | undefined,
): Promise<ChatResult> {
  const messages = result.generations.map((generation) => generation.message);
  if (metadata.hit === 'miss') for (const message of messages) markMessage(message, metadata);
  else markReplay(messages, metadata);
  await emit(runManager, markOf(messages[0]) ?? metadata);
  return result;
}

/** `withDeja(model, { deja, tenant })`: the model with deja's response cache in front of it. */
export function withDeja(model: BaseChatModel, options: WithDejaOptions): DejaChatModel {
  return new DejaChatModel(model, options);
}
