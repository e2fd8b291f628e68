// A language-model call -> deja's request: the exact key (everything that shapes the answer),
// the semantic text (the last user message) and the scope (the key without that text).

import type { ResponseRequest } from '@deja/core';
import type { CallOptions, LanguageModelSpec, Prompt } from './spec.js';

export type CallKind = 'generate' | 'stream';

/** Bumped whenever the key material changes shape, so entries of an older layout are never read. */
// 2: core keys are type-tagged (file bytes and URLs no longer read as strings).
// 3: the model's specification version joins the key: a V3 call (ai@6) and a V4 call (ai@7) store
//    different shapes (file data, finish reasons), so neither ever replays the other's entry.
const KEY_VERSION = 3;

/**
 * Everything in the call options enters the key except what cannot change the answer: headers
 * (the SDK's user agent, tracing ids) and the abort signal. A deny-list rather than an allow-list,
 * so a setting a future AI SDK adds makes a miss rather than a wrong hit. `providerOptions.deja`
 * is already gone: the middleware strips it before this runs.
 */
export function requestFor(
  kind: CallKind,
  model: Pick<LanguageModelSpec, 'specificationVersion' | 'provider' | 'modelId'>,
  params: CallOptions,
): ResponseRequest {
  const { headers: _headers, abortSignal: _abortSignal, prompt, ...settings } = params;
  const common = {
    v: KEY_VERSION,
    kind,
    spec: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    ...settings,
  };
  const { semanticText, scopePrompt } = splitLastUserText(prompt);
  return {
    key: { ...common, prompt },
    ...(semanticText === undefined ? {} : { semanticText }),
    scope: { ...common, prompt: scopePrompt },
  };
}

/**
 * The text of the last user message, and the prompt with only that text taken out: its files
 * and options stay in the scope, so "what is in this picture?" about another picture is a miss.
 */
export function splitLastUserText(prompt: Prompt): {
  semanticText: string | undefined;
  scopePrompt: unknown[];
} {
  const index = prompt.findLastIndex((message) => message.role === 'user');
  const message = prompt[index];
  if (message?.role !== 'user') return { semanticText: undefined, scopePrompt: prompt };
  const texts = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
  const semanticText = texts.join('\n');
  if (semanticText.trim().length === 0) return { semanticText: undefined, scopePrompt: prompt };
  const withoutText = {
    ...message,
    content: message.content.map((part) =>
      part.type === 'text'
        ? { type: 'text', semanticSlot: true, providerOptions: part.providerOptions }
        : part,
    ),
  };
  return { semanticText, scopePrompt: prompt.map((item, i) => (i === index ? withoutText : item)) };
}
