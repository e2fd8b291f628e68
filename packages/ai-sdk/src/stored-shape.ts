// Checks of a cached value's shape before it is replayed, by hand: a zod parse copies the whole
// generation (or every part of a stream) on every hit, and a hit should cost little more than a
// round trip. Each check gives the verdict of the zod predicate named beside it;
// stored-shape.property.test.ts holds isStoredGeneration and isStoredStream to the schemas they
// replaced.

/** z.object's input check: any object but null and arrays (a Date passes, as in zod). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** z.array(item): an array whose every index (holes too) passes `check`. */
export function everyItem(items: unknown, check: (item: unknown) => boolean): items is unknown[] {
  if (!Array.isArray(items)) return false;
  for (let index = 0; index < items.length; index++) if (!check(items[index])) return false;
  return true;
}

/** z.looseObject({ type: z.string() }). */
export function hasStringType(part: unknown): part is { type: string } {
  return isObject(part) && typeof part.type === 'string';
}

/** z.string().optional(). */
export function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** z.date().optional(): a Date that holds a time. */
export function isOptionalDate(value: unknown): boolean {
  return value === undefined || (value instanceof Date && !Number.isNaN(value.getTime()));
}

/**
 * z.record(z.string(), value): zod's plain-object test (util.isPlainObject), then every own
 * enumerable key but `__proto__` (which zod skips) a string whose value passes `check`.
 */
export function isRecordOf(value: unknown, check: (item: unknown) => boolean): boolean {
  if (!isPlainObject(value)) return false;
  for (const symbol of Object.getOwnPropertySymbols(value))
    if (Object.prototype.propertyIsEnumerable.call(value, symbol)) return false;
  for (const key of Object.keys(value)) if (key !== '__proto__' && !check(value[key])) return false;
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const maker = value.constructor;
  if (maker === undefined || typeof maker !== 'function') return true;
  const prototype: unknown = maker.prototype;
  return isObject(prototype) && Object.hasOwn(prototype, 'isPrototypeOf');
}
