import {
  type CleanedMetadata,
  cleanShape,
  type NoteProblem,
  truncate,
} from '../capture/cleanShape.js';
import type { MetadataValue } from '../wire/event.js';
import { CAPTURE_LIMITS } from '../wire/rules.js';
import { SCRUBBERS } from './scrubPatterns.js';
import { shapePath } from './shapePath.js';

// Plain words and short values are the common case: they cannot hold anything scrubbed.
const PLAIN = /^[A-Za-z _-]{0,40}$/;

/**
 * Replaces personal data and secrets with tags naming what was there (`SCRUBBERS`, in
 * scrubPatterns.ts: private keys, JWTs, tokens, secret query parameters, URL credentials, emails,
 * home-directory user names, AWS keys, IBANs, long secrets, US SSNs, IPs, card numbers, phone
 * numbers); truncates to `maxLength`.
 */
export function scrubString(
  value: string,
  maxLength: number = CAPTURE_LIMITS.stringLength,
): string {
  let text = value.length > maxLength * 2 ? value.slice(0, maxLength * 2) : value;
  if (!PLAIN.test(text)) {
    let digits = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 48 && code <= 57) digits++;
    }
    for (const scrub of SCRUBBERS) text = scrub(text, digits);
  }
  return truncate(text, maxLength);
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

/**
 * Scrubs cleaned metadata (the output of `cleanShape`) in place: every string scrubbed and cut to
 * `maxLength`, keys that look like secrets removed whatever their values. Returns the tree.
 */
export function scrubTree<T extends MetadataValue>(
  value: T,
  note: NoteProblem,
  maxLength: number = CAPTURE_LIMITS.stringLength,
): T {
  if (typeof value === 'string') return scrubString(value, maxLength) as T;
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      value[i] = scrubTree(value[i] as MetadataValue, note, maxLength);
    return value;
  }
  const object = value as { [key: string]: MetadataValue };
  for (const key of Object.keys(object)) {
    if (isSecretKey(key)) {
      note(`metadata key "${key}" looks secret; removed`);
      delete object[key];
    } else object[key] = scrubTree(object[key] as MetadataValue, note, maxLength);
  }
  return value;
}

/**
 * Turns anything a caller passes into JSON-safe, scrubbed, limited metadata: `cleanShape`, then
 * `scrubTree`. Never throws.
 */
export function cleanMetadata(input: unknown, note: NoteProblem): CleanedMetadata {
  const cleaned = cleanShape(input, note);
  scrubTree(cleaned.value, note);
  return cleaned;
}

/** The last path scrubbed and its result: events come in runs from the same page. */
let lastPath: string | undefined;
let lastScrubbed = '';

/** Scrubs each segment of a path that `shapePath` (or the caller's sanitiser) produced. */
export function scrubPath(path: string): string {
  if (path === lastPath) return lastScrubbed;
  lastScrubbed = path
    .split('/')
    .map((segment) => scrubString(segment, CAPTURE_LIMITS.pathSegment))
    .join('/')
    .slice(0, CAPTURE_LIMITS.path);
  lastPath = path;
  return lastScrubbed;
}

/**
 * The built-in path sanitiser: no query string or fragment (they carry search terms, tokens and
 * campaign ids), and numeric, UUID, long hex and token-like segments become `:id` so that paths
 * group by route and carry no identifiers; the other segments are scrubbed.
 */
export function sanitizePath(path: string): string {
  return scrubPath(shapePath(path));
}
