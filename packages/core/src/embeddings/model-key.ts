// A model id as one segment of a Redis key. The id is free text (an adapter builds it from a
// provider and a model name), but in a key it sits inside the cluster hash tag `{…}` and between
// `:` separators. Unescaped, an id starting with `}` would leave an empty tag, so Redis would hash
// each whole key and scatter one model's keys over every slot (its MGET failing with CROSSSLOT),
// and a `:` would let one model's keys read like another's. Those characters, `%`, whitespace and
// controls are percent-encoded as UTF-8, like encodeURIComponent; `%` being encoded too, the
// mapping is one-to-one, so two ids never share a segment (replacing them with `_` would make
// `a b` and `a_b` one model). Ids without them keep their spelling, and their keys stay put.
const UNSAFE = /[%{}:\s\p{Cc}]/gu;
const encoder = new TextEncoder();

export function modelKeySegment(modelId: string): string {
  return modelId.replace(UNSAFE, (character) =>
    Array.from(
      encoder.encode(character),
      (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    ).join(''),
  );
}
