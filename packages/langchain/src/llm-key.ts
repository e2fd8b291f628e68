// Reads the `llmKey` LangChain hands a cache: the model's identifying params and call options as
// sorted `name:JSON` entries joined by commas (BaseLanguageModel._getSerializedCacheKeyParametersForCall).

/** Call options that say nothing about the answer but still reach the llmKey. */
const VOLATILE_ENTRIES: Record<string, string> = {
  // BaseChatModel and BaseLLM copy the AbortSignal back into the call options; it serialises as {}.
  signal: '{}',
};

export type ModelKind = 'chat' | 'llm' | 'unknown';

export interface ParsedLlmKey {
  /** The llmKey without volatile entries: what enters deja's key and scope. */
  normalized: string;
  kind: ModelKind;
  /** The model name among the identifying params, for stats and prices. */
  model: string | undefined;
}

/** Never throws: an llmKey this parser does not understand is used as it is. */
export function parseLlmKey(llmKey: string): ParsedLlmKey {
  const entries = splitEntries(llmKey);
  if (!entries) return { normalized: llmKey, kind: kindFromText(llmKey), model: undefined };
  const kept = entries.filter((entry) => VOLATILE_ENTRIES[entry.name] !== entry.json);
  const values = new Map(entries.map((entry) => [entry.name, entry.value]));
  const modelType = values.get('_model');
  const kind: ModelKind =
    modelType === 'base_chat_model' ? 'chat' : modelType === 'base_llm' ? 'llm' : 'unknown';
  const model = ['model', 'model_name', 'modelName', '_type'].map((name) => values.get(name)).find(isName);
  return { normalized: kept.map((entry) => `${entry.name}:${entry.json}`).join(','), kind, model };
}

interface Entry {
  name: string;
  json: string;
  value: unknown;
}

/** Splits `a:1,b:"x,y",c:{"d":[1,2]}` into entries; undefined when the text is not in that form. */
export function splitEntries(text: string): Entry[] | undefined {
  if (text.length === 0) return [];
  const entries: Entry[] = [];
  let position = 0;
  while (position < text.length) {
    const colon = text.indexOf(':', position);
    if (colon <= position) return undefined;
    const name = text.slice(position, colon);
    if (name.includes(',')) return undefined;
    const end = jsonValueEnd(text, colon + 1);
    if (end === undefined) return undefined;
    const json = text.slice(colon + 1, end);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      return undefined;
    }
    entries.push({ name, json, value });
    if (end === text.length) break;
    if (text[end] !== ',') return undefined;
    position = end + 1;
    if (position === text.length) return undefined;
  }
  return entries;
}

/** Index just past the JSON value starting at `start` (strings and nesting aware). */
function jsonValueEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) return i + 1;
    } else if (char === ',' && depth === 0) return i === start ? undefined : i;
  }
  return depth === 0 && !inString && text.length > start ? text.length : undefined;
}

function kindFromText(llmKey: string): ModelKind {
  if (llmKey.includes('_model:"base_chat_model"')) return 'chat';
  if (llmKey.includes('_model:"base_llm"')) return 'llm';
  return 'unknown';
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
