import { LIMITS, looser, type MetadataValue } from 'telemetry-kit/wire';
// OTLP keys are values, not JSON keys, so json-shape.ts never saw them: checked here instead.
import { FORBIDDEN_KEYS } from './json-shape.js';

/**
 * OTLP's `AnyValue` (opentelemetry/proto/common/v1/common.proto) as a metadata value, in the
 * OTLP/JSON shape both encodings are read into: `{ stringValue }`, `{ intValue }` (a decimal
 * string, or a number from a lenient sender), `{ kvlistValue: { values: [{ key, value }] } }`...
 * Checked while converted, so a wrong type is a reason and never a crash further on.
 */

/** A converted value, or why the input is not one. */
export type AnyValueRead = { ok: true; value: MetadataValue } | { ok: false; reason: string };

/** How deep key-values and arrays may nest below the body: the batch's metadata bound. */
export const MAX_VALUE_DEPTH = looser(LIMITS.depth);

const MAX_ITEMS = looser(LIMITS.arrayLength);
const MAX_KEYS = looser(LIMITS.keysPerObject);
const INT64 = /^-?\d{1,19}$/;

const fail = (path: string, message: string): AnyValueRead => ({
  ok: false,
  reason: `${path}: ${message}`,
});

/**
 * Converts one `AnyValue`. An empty one (no field set, as protobuf leaves a null) is `null`;
 * 64-bit integers past 2^53 stay decimal strings rather than lose digits; bytes stay base64.
 *
 * @param input - The value as decoded, not yet trusted.
 * @param path - Where it is, for the reason (`body.values.2`).
 * @param depth - Its nesting below the body; past `MAX_VALUE_DEPTH` it is refused.
 */
export function readAnyValue(input: unknown, path: string, depth = 0): AnyValueRead {
  if (input === undefined || input === null) return { ok: true, value: null };
  if (typeof input !== 'object' || Array.isArray(input)) return fail(path, 'must be an AnyValue');
  const value = input as Record<string, unknown>;
  if (value.stringValue !== undefined && value.stringValue !== null) {
    if (typeof value.stringValue !== 'string') return fail(path, 'stringValue must be a string');
    return { ok: true, value: value.stringValue };
  }
  if (value.boolValue !== undefined && value.boolValue !== null) {
    if (typeof value.boolValue !== 'boolean') return fail(path, 'boolValue must be a boolean');
    return { ok: true, value: value.boolValue };
  }
  if (value.intValue !== undefined && value.intValue !== null) return readInt(value.intValue, path);
  if (value.doubleValue !== undefined && value.doubleValue !== null) {
    if (typeof value.doubleValue !== 'number' || !Number.isFinite(value.doubleValue)) {
      return fail(path, 'doubleValue must be a finite number');
    }
    return { ok: true, value: value.doubleValue };
  }
  if (value.bytesValue !== undefined && value.bytesValue !== null) {
    if (typeof value.bytesValue !== 'string') return fail(path, 'bytesValue must be base64 text');
    return { ok: true, value: value.bytesValue };
  }
  if (value.arrayValue !== undefined && value.arrayValue !== null) {
    return readArray(value.arrayValue, `${path}.arrayValue`, depth + 1);
  }
  if (value.kvlistValue !== undefined && value.kvlistValue !== null) {
    return readKeyValues(value.kvlistValue, `${path}.kvlistValue`, depth + 1);
  }
  return { ok: true, value: null };
}

/**
 * Converts a `KeyValueList` into an object. A key given twice keeps its last value, as
 * `JSON.parse` does.
 */
export function readKeyValues(input: unknown, path: string, depth: number): AnyValueRead {
  if (depth > MAX_VALUE_DEPTH) return fail(path, `nests deeper than ${MAX_VALUE_DEPTH} levels`);
  const values = listOf(input);
  if (values === undefined) return fail(path, 'must be { values: [...] }');
  if (values.length > MAX_KEYS) return fail(path, `holds more than ${MAX_KEYS} keys`);
  const object: { [key: string]: MetadataValue } = {};
  for (const [index, entry] of values.entries()) {
    const key = (entry as { key?: unknown } | null)?.key;
    if (typeof key !== 'string') return fail(`${path}.values.${index}`, 'key must be a string');
    if (FORBIDDEN_KEYS.has(key)) return fail(`${path}.values.${index}`, `key ${key} is forbidden`);
    const read = readAnyValue(
      (entry as { value?: unknown }).value,
      `${path}.values.${index}`,
      depth,
    );
    if (!read.ok) return read;
    object[key] = read.value;
  }
  return { ok: true, value: object };
}

function readArray(input: unknown, path: string, depth: number): AnyValueRead {
  if (depth > MAX_VALUE_DEPTH) return fail(path, `nests deeper than ${MAX_VALUE_DEPTH} levels`);
  const values = listOf(input);
  if (values === undefined) return fail(path, 'must be { values: [...] }');
  if (values.length > MAX_ITEMS) return fail(path, `holds more than ${MAX_ITEMS} items`);
  const items: MetadataValue[] = [];
  for (const [index, item] of values.entries()) {
    const read = readAnyValue(item, `${path}.values.${index}`, depth);
    if (!read.ok) return read;
    items.push(read.value);
  }
  return { ok: true, value: items };
}

/** `{ values: [...] }`, where an absent `values` is an empty list (protobuf omits it). */
function listOf(input: unknown): unknown[] | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const values = (input as { values?: unknown }).values;
  if (values === undefined || values === null) return [];
  return Array.isArray(values) ? values : undefined;
}

function readInt(input: unknown, path: string): AnyValueRead {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) return fail(path, 'intValue must be an integer');
    return { ok: true, value: input };
  }
  if (typeof input !== 'string' || !INT64.test(input)) {
    return fail(path, 'intValue must be a decimal integer');
  }
  const number = Number(input);
  return { ok: true, value: Number.isSafeInteger(number) ? number : input };
}
