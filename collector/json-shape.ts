/**
 * Bounds on the shape of parsed JSON, checked iteratively before any schema runs: recursive
 * validation of a 100,000-deep array would otherwise exhaust the stack.
 */

/** Why a JSON value was refused, or null when it is within bounds. */
export type JsonShapeProblem = 'too_deep' | 'too_many_values' | 'forbidden_key' | null;

/** Options of `checkJsonShape`. */
export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects (the batch itself is depth 1). */
  maxDepth: number;
  /** Most values in the whole document. */
  maxValues: number;
}

/**
 * Keys refused anywhere in a body. JSON.parse makes `__proto__` an own key, harmless until
 * someone merges the object into another with assignment (`target[key] = value`), which is how
 * prototype pollution happens; `constructor` / `prototype` are the other half of that path. No
 * event needs these names.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** Walks `value` once, without recursion, and reports the first limit it breaks. */
export function checkJsonShape(value: unknown, limits: JsonShapeLimits): JsonShapeProblem {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  let values = 0;
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    values += 1;
    if (values > limits.maxValues) return 'too_many_values';
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limits.maxDepth) return 'too_deep';
    if (Array.isArray(next.value)) {
      for (const item of next.value) stack.push({ value: item, depth: next.depth + 1 });
      continue;
    }
    for (const key of Object.keys(next.value)) {
      if (FORBIDDEN_KEYS.has(key)) return 'forbidden_key';
      stack.push({ value: (next.value as Record<string, unknown>)[key], depth: next.depth + 1 });
    }
  }
  return null;
}
