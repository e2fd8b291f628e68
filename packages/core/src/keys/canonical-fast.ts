// The canonical text of a key made of plain data, in one pass: nearly every request key is plain
// objects, arrays, short strings and numbers, and for those the general writer's machinery (an
// output object per key, a set of the objects on the path, a hash fed piece by piece) costs more
// than the text itself, on every lookup.
//
// It writes exactly what canonical.ts writes, or nothing: at the first value it does not handle
// (a Date, bytes, a URL, a Map or Set, a class instance, toJSON, a symbol key, anything
// canonical.ts refuses, a long or deep value, a cycle) it gives up, and the caller runs the
// general writer, which knows every rule, every refusal and every message.
// canonical-fast.property.test.ts checks that the two agree wherever this one answers.
import { types } from 'node:util';
import { MAX_KEY_DEPTH } from './canonical-output.js';

/**
 * Longest text this path builds, in UTF-16 code units. Past it the general writer takes over,
 * which hands long strings on in slices with the event loop free (canonical-async.ts); it is far
 * below STRING_SLICE, so every string written here is one the general writer escapes at once too.
 */
export const FAST_MAX_LENGTH = 64 * 1024;

/** Strings up to this long are checked character by character; longer ones go to JSON.stringify. */
const SHORT_STRING = 64;

/** The canonical text of `value`, or undefined when it is not plain data this path writes. */
export function fastCanonicalJson(value: unknown): string | undefined {
  return new FastText().value(value, 0);
}

class FastText {
  /** Characters left before this path gives up (a cycle runs into it, or into MAX_KEY_DEPTH). */
  private room = FAST_MAX_LENGTH;

  value(value: unknown, depth: number): string | undefined {
    switch (typeof value) {
      case 'string':
        // Escaping only lengthens: a string that cannot fit is not escaped here to be thrown away.
        return value.length + 2 > this.room ? undefined : this.fits(quote(value));
      case 'number':
        // JSON writes a finite number as its String (and -0 as 0); NaN and ±Infinity are refused.
        return Number.isFinite(value) ? this.fits(String(value)) : undefined;
      case 'boolean':
        return value ? 'true' : 'false';
      case 'bigint':
        return this.fits(`@bigint"${value.toString()}"`);
      case 'undefined':
        return '@undefined';
      case 'object':
        if (value === null) return 'null';
        if (depth >= MAX_KEY_DEPTH) return undefined;
        return Array.isArray(value) ? this.array(value, depth + 1) : this.object(value, depth + 1);
      default:
        return undefined;
    }
  }

  private array(value: unknown[], depth: number): string | undefined {
    // An array from another realm, or one with another prototype: the general writer decides.
    if (Object.getPrototypeOf(value) !== Array.prototype) return undefined;
    this.room -= value.length + 2;
    if (this.room < 0) return undefined;
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      // A hole reads as undefined, as in the general writer.
      const item = this.value(value[index], depth);
      if (item === undefined) return undefined;
      text += index === 0 ? item : `,${item}`;
    }
    return `${text}]`;
  }

  private object(value: object, depth: number): string | undefined {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return undefined;
    // Internal slots mean what they mean whatever the prototype says (a Date given Object's
    // prototype is still a Date to the general writer); toJSON is the value it returns.
    if (hasBuiltinSlots(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function')
      return undefined;
    // Enumerable symbol keys are refused by the general writer; any symbol key sends it there.
    if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
    // Only the properties that are written are sorted (request keys carry many unset options);
    // each is read once, as the general writer reads it.
    const record = value as Record<string, unknown>;
    const keys: string[] = [];
    const items: unknown[] = [];
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (item !== undefined) {
        keys.push(key);
        items.push(item);
      }
    }
    const order = sortedOrder(keys);
    this.room -= 2;
    let text = '{';
    for (let index = 0; index < order.length; index++) {
      const at = order[index] as number;
      const name = this.fits(quote(keys[at] as string));
      const written = name === undefined ? undefined : this.value(items[at], depth);
      if (written === undefined) return undefined;
      text += index === 0 ? `${name}:${written}` : `,${name}:${written}`;
    }
    return `${text}}`;
  }

  private fits(text: string): string | undefined {
    this.room -= text.length;
    return this.room >= 0 ? text : undefined;
  }
}

/** Objects the general writer treats by their internal slot, not their properties. */
function hasBuiltinSlots(value: object): boolean {
  return (
    ArrayBuffer.isView(value) ||
    types.isDate(value) ||
    types.isMap(value) ||
    types.isSet(value) ||
    types.isRegExp(value) ||
    types.isAnyArrayBuffer(value)
  );
}

/**
 * JSON.stringify of a string. A short string with nothing to escape (no quote, backslash, control
 * character or surrogate) is the string in quotes, which is what JSON.stringify gives it; this
 * check is about twice as fast as JSON.stringify on the short strings keys are made of.
 */
function quote(text: string): string {
  if (text.length > SHORT_STRING) return JSON.stringify(text);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff))
      return JSON.stringify(text);
  }
  return `"${text}"`;
}

/**
 * The positions of `keys` in the order of the general writer's `Object.keys(value).sort()`: UTF-16
 * code units, which `<` compares too. Object keys are distinct, so no question of stability
 * arises. A few keys are ordered by insertion, several times faster than Array#sort on them.
 */
function sortedOrder(keys: string[]): number[] {
  const order = keys.map((_, index) => index);
  if (keys.length > 32) return order.sort((a, b) => ((keys[a] as string) < (keys[b] as string) ? -1 : 1));
  for (let index = 1; index < order.length; index++) {
    const at = order[index] as number;
    const key = keys[at] as string;
    let to = index - 1;
    while (to >= 0 && (keys[order[to] as number] as string) > key) {
      order[to + 1] = order[to] as number;
      to--;
    }
    order[to + 1] = at;
  }
  return order;
}
