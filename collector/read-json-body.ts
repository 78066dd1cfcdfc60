import { checkJsonShape, type JsonShapeLimits } from './json-shape.js';
import { readBodyText } from './request-body.js';

/** Bounds of `readJsonBody`, and what the body is called in its reasons (`the batch`). */
export interface JsonBodyLimits extends JsonShapeLimits {
  maxBytes: number;
  subject: string;
}

/** The parsed body, or the 4xx answer it earned. */
export type JsonBodyRead =
  | { ok: true; value: unknown }
  | { ok: false; status: 400 | 413; error: string; reason: string };

/**
 * Reads a JSON body within bounds, cheapest checks first: size (while reading), JSON, then its
 * shape (depth, value count, forbidden keys) before any schema walks it. Too many values is a
 * `413` like too many bytes: only the size is wrong.
 */
export async function readJsonBody(
  request: Request,
  limits: JsonBodyLimits,
): Promise<JsonBodyRead> {
  const body = await readBodyText(request, limits.maxBytes);
  if (!body.ok) return body;
  return parseJsonBody(body.text, limits);
}

/**
 * The second half of `readJsonBody`, for a body already read (and decompressed): JSON, then its
 * shape. `maxBytes` is not checked here.
 */
export function parseJsonBody(text: string, limits: JsonBodyLimits): JsonBodyRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse(400, 'malformed_json', 'the body is not valid JSON');
  }
  const problem = checkShape(value, limits);
  return problem ?? { ok: true, value };
}

/** The 4xx answer a parsed body's shape earns, or `undefined` when it is within `limits`. */
export function checkShape(
  value: unknown,
  limits: JsonShapeLimits & { subject: string },
): (JsonBodyRead & { ok: false }) | undefined {
  const { subject } = limits;
  switch (checkJsonShape(value, limits)) {
    case 'too_deep':
      return refuse(400, 'too_deep', `${subject} nests deeper than ${limits.maxDepth} levels`);
    case 'too_many_values':
      return refuse(
        413,
        'too_many_values',
        `${subject} holds more than ${limits.maxValues} values`,
      );
    case 'forbidden_key':
      return refuse(
        400,
        'forbidden_key',
        `${subject} contains a __proto__, constructor or prototype key`,
      );
  }
  return undefined;
}

function refuse(status: 400 | 413, error: string, reason: string): JsonBodyRead & { ok: false } {
  return { ok: false, status, error, reason };
}
