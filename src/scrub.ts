import type { MetadataValue } from './types.js';

/**
 * Limits on caller metadata. They bound what one event can cost in memory, storage and bytes on
 * the wire, whatever a caller passes in.
 */
export const LIMITS = {
  depth: 5,
  keysPerObject: 50,
  arrayLength: 50,
  stringLength: 1000,
  keyLength: 64,
  values: 500,
  /** Approximate serialised size of one event's metadata, in characters. */
  metadataSize: 8 * 1024,
} as const;

// Each pattern is replaced by a tag naming what was there, so the shape of a message survives.
const SCRUBBERS: Array<[RegExp, string]> = [
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[jwt]'],
  [/\b(?:bearer|basic|token)\s+[\w.~+/=-]{8,}/gi, '[token]'],
  [
    /([?&;](?:[\w-]*(?:token|key|secret|password|passwd|auth|code|sig|session)[\w-]*)=)[^&#\s]+/gi,
    '$1[redacted]',
  ],
  [/[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi, '[email]'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '[secret]'],
  [/\b(?=[\w+/-]*\d)(?=[\w+/-]*[a-z])[\w+/-]{32,}={0,2}/gi, '[secret]'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '[ip]'],
  [
    /\b(?:[0-9a-f]{1,4}:){4,7}[0-9a-f]{1,4}\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*::(?:[0-9a-f]{1,4}:?)*/gi,
    '[ip]',
  ],
];
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
// Plain words and short values are the common case: they cannot hold anything scrubbed.
const PLAIN = /^[A-Za-z _-]{0,40}$/;

/** Luhn checksum, so order numbers and timestamps are not mistaken for card numbers. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Removes emails, IPs, JWTs and tokens, long secrets and card numbers; truncates. */
export function scrubString(value: string, maxLength: number = LIMITS.stringLength): string {
  let text = value.length > maxLength * 2 ? value.slice(0, maxLength * 2) : value;
  if (!PLAIN.test(text)) {
    for (const [pattern, tag] of SCRUBBERS) text = text.replace(pattern, tag);
    text = text.replace(CARD, (match) => (luhn(match.replace(/\D/g, '')) ? '[card]' : match));
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

const SECRET_KEY_PARTS =
  /pass(?:word|wd|phrase)|secret|token|api_?key|authorization|cookie|credential|private_?key|credit_?card|card_?number|iban/;
const SECRET_KEYS = new Set([
  'auth',
  'pwd',
  'pin',
  'otp',
  'ssn',
  'cvv',
  'cvc',
  'sid',
  'jwt',
  'session_id',
  'sessionid',
]);

/** Verdicts so far: metadata keys repeat from call to call. Bounded. */
const secretVerdicts = new Map<string, boolean>();

/** Keys whose values are secrets by name: removed, whatever the value looks like. */
export function isSecretKey(key: string): boolean {
  let verdict = secretVerdicts.get(key);
  if (verdict === undefined) {
    const normal = key.toLowerCase().replace(/[\s.-]/g, '_');
    verdict = SECRET_KEYS.has(normal) || SECRET_KEY_PARTS.test(normal);
    if (secretVerdicts.size < 1_000) secretVerdicts.set(key, verdict);
  }
  return verdict;
}

/** Collects what cleaning had to repair, for one debug line per problem. */
export type NoteProblem = (problem: string) => void;

export interface CleanedMetadata {
  value: { [key: string]: MetadataValue };
  /** Approximate serialised size in characters. */
  size: number;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turns anything a caller passes into JSON-safe, scrubbed, limited metadata. Never throws:
 * functions and symbols are dropped, BigInt becomes a string, cycles become "[circular]",
 * getters that throw (hostile Proxies, broken `toJSON`) lose their key.
 */
export function cleanMetadata(input: unknown, note: NoteProblem): CleanedMetadata {
  if (input === undefined || input === null) return { value: {}, size: 2 };
  if (typeof input !== 'object' || Array.isArray(input)) {
    note('metadata must be a plain object; ignored');
    return { value: {}, size: 2 };
  }
  // The objects being walked, outermost first: at most LIMITS.depth, so an array beats a Set.
  const ancestors: object[] = [];
  let values = 0;
  let size = 2;

  const walk = (value: unknown, depth: number): MetadataValue | undefined => {
    if (++values > LIMITS.values) {
      note(`metadata over ${LIMITS.values} values; the rest dropped`);
      return undefined;
    }
    switch (typeof value) {
      case 'string': {
        const text = scrubString(value);
        size += text.length + 3;
        return text;
      }
      case 'number':
        size += 8;
        if (Number.isFinite(value)) return value;
        note('metadata NaN or Infinity became null');
        return null;
      case 'boolean':
        size += 5;
        return value;
      case 'bigint':
        note('metadata BigInt became a string');
        size += 20;
        return value.toString();
      case 'undefined':
        return undefined;
      case 'function':
      case 'symbol':
        note(`metadata ${typeof value} dropped`);
        return undefined;
    }
    if (value === null) {
      size += 4;
      return null;
    }
    const object = value as object;
    if (ancestors.includes(object)) {
      note('metadata cycle became "[circular]"');
      return '[circular]';
    }
    if (depth >= LIMITS.depth) {
      note(`metadata deeper than ${LIMITS.depth} levels dropped`);
      return undefined;
    }
    // In the list for the whole try, so that `finally` always takes off what it put on.
    ancestors.push(object);
    try {
      if (object instanceof Date) {
        size += 26;
        return Number.isNaN(object.getTime()) ? null : object.toISOString();
      }
      if (object instanceof Error) {
        return {
          name: scrubString(String(object.name), 100),
          message: scrubString(String(object.message)),
        };
      }
      if (Array.isArray(object) || object instanceof Set) {
        const items = Array.from(object as Iterable<unknown>).slice(0, LIMITS.arrayLength);
        if (
          (Array.isArray(object) ? object.length : (object as Set<unknown>).size) >
          LIMITS.arrayLength
        ) {
          note(`metadata arrays cut to ${LIMITS.arrayLength} items`);
        }
        size += 2;
        return items.map((item) => {
          size += 1;
          return walk(item, depth + 1) ?? null;
        });
      }
      const map = object instanceof Map ? object : undefined;
      const keys: unknown[] = map ? Array.from(map.keys()) : Object.keys(object);
      if (keys.length > LIMITS.keysPerObject) {
        note(`metadata objects cut to ${LIMITS.keysPerObject} keys`);
      }
      const out: { [key: string]: MetadataValue } = {};
      size += 2;
      for (let i = 0; i < keys.length && i < LIMITS.keysPerObject; i++) {
        const rawKey = keys[i];
        const key = String(rawKey).slice(0, LIMITS.keyLength);
        if (FORBIDDEN_KEYS.has(key)) continue;
        if (isSecretKey(key)) {
          note(`metadata key "${key}" looks secret; removed`);
          continue;
        }
        let raw: unknown;
        try {
          raw = map ? map.get(rawKey) : (object as Record<string, unknown>)[key];
        } catch {
          note('metadata getter threw; key dropped');
          continue;
        }
        const cleaned = walk(raw, depth + 1);
        if (cleaned !== undefined) {
          out[key] = cleaned;
          size += key.length + 4;
        }
      }
      return out;
    } catch {
      note('metadata value unreadable (a throwing getter or Proxy); dropped');
      return undefined;
    } finally {
      ancestors.pop();
    }
  };

  const value = walk(input, 0);
  return {
    value: value && typeof value === 'object' && !Array.isArray(value) ? value : {},
    size,
  };
}

const ID_SEGMENT =
  /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|(?=.*\d)[\w-]{20,})$/i;

/**
 * The built-in path sanitiser: no query string or fragment (they carry search terms, tokens and
 * campaign ids), and numeric, UUID, long hex and token-like segments become `:id` so that paths
 * group by route and carry no identifiers.
 */
export function sanitizePath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  const withoutOrigin = bare.replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, '');
  const segments = withoutOrigin.split('/').map((segment) => {
    if (!segment) return segment;
    if (ID_SEGMENT.test(segment)) return ':id';
    return scrubString(segment, 100);
  });
  const joined = segments.join('/') || '/';
  return (joined.startsWith('/') ? joined : `/${joined}`).slice(0, 300);
}
