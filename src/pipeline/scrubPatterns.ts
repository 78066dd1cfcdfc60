import { leadingIban } from './isIban.js';
import { findPhoneNumber } from './isPhoneNumber.js';
import { luhn } from './luhn.js';

/**
 * One kind of personal data or secret: replaces what it finds in `text` with a tag naming what
 * was there (`[email]`), so that the shape of a message survives. `digits` is how many ASCII
 * digits `text` had before any scrubber ran (tags hold none, so it is an upper bound): scrubbers
 * of numbers skip strings that cannot hold one without running their pattern.
 */
export type Scrubber = (text: string, digits: number) => string;

/** A scrubber that runs `pattern` only when `worthTrying` says the text may hold a match. */
const scrubber =
  (
    pattern: RegExp,
    replacement: string,
    worthTrying: (text: string, digits: number) => boolean,
  ): Scrubber =>
  (text, digits) =>
    worthTrying(text, digits) ? text.replace(pattern, replacement) : text;

// Two capitals and two check digits, then the account in groups of four (or none) and a last
// group of one to four: IBANs are 15 to 34 characters (ISO 13616; SWIFT's IBAN registry).
const IBAN = /\b[A-Z]{2}\d\d(?: ?[A-Z\d]{4}){2,7}(?: ?[A-Z\d]{1,4})?\b/g;
// Card numbers start with a major industry identifier of 2 to 6 (ISO/IEC 7812-1: Mastercard's
// 2-series, Amex, Diners and JCB, Visa, Mastercard, Discover and UnionPay); millisecond
// timestamps, which start with 1 until 2033, are not mistaken for one that passes Luhn.
const CARD = /\b[2-6](?:[ -]?\d){12,18}\b/g;
// A run of digits and the joints phone numbers are written with, after a character that
// cannot precede one (not a letter or digit, `.`, `-`, `/`, `#`: versions, ids, paths, colours),
// and an extension (`x1234`, `ext. 12`), which goes with the number.
const PHONE_RUN =
  /(^|[^\w+./#-])(\+?\(?\d[\d ().-]{5,40}\d)((?: ?(?:[xX]|[eE]xt\.?) ?\d{1,6}\b)?)/g;
const WORD_CHARACTER = /\w/;

/** Which scrubbers run, in this order: later ones must not see what earlier ones replace. */
export const SCRUBBERS: readonly Scrubber[] = [
  // PEM private keys (RFC 7468), whole, or up to the end of a string cut before the END line.
  scrubber(
    /-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]*PRIVATE KEY-----|$)/g,
    '[private key]',
    (text) => text.includes('PRIVATE KEY'),
  ),
  scrubber(/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[jwt]', (text) => text.includes('eyJ')),
  scrubber(/\b(?:bearer|basic|token)\s+[\w.~+/=-]{8,}/gi, '[token]', () => true),
  scrubber(
    /([?&;](?:[\w-]*(?:token|key|secret|password|passwd|auth|code|sig|session)[\w-]*)=)[^&#\s]+/gi,
    '$1[redacted]',
    (text) => text.includes('='),
  ),
  // Credentials in a URL's authority (RFC 3986 §3.2.1, `user:password@`), before emails see
  // `password@host`. The last `@` before the path ends them: passwords are often not encoded.
  scrubber(
    /\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#@]+(?:@[^\s/?#@]*)*@/gi,
    '$1[credentials]@',
    (text) => text.includes('@') && text.includes('://'),
  ),
  scrubber(/[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi, '[email]', (text) => text.includes('@')),
  // The user's name in a home directory: /Users/<name> (macOS), /home/<name> (Linux),
  // C:\Users\<name> (`Users` in any case) and C:\Documents and Settings\<name> (Windows; either
  // slash, doubled when escaped). A path is at its start, not inside a URL's path (`example.com/home/feed`).
  // Windows names may hold spaces when a separator follows them.
  scrubber(
    /((?:^|[^\w.-])(?:[A-Za-z]:[\\/]+(?:[Uu][Ss][Ee][Rr][Ss]|Documents and Settings)|[\\/]+(?:Users|home))[\\/]+)(?:[^\\/\s:*?"<>|]+(?: [^\\/\s:*?"<>|]+){0,3}(?=[\\/])|[^\\/\s:*?"<>|,;()'\]]+)/g,
    '$1[user]',
    (text) => /home|users|documents and/i.test(text),
  ),
  scrubber(/\bAKIA[0-9A-Z]{16}\b/g, '[secret]', (text) => text.includes('AKIA')),
  (text, digits) =>
    digits >= 8 && /[A-Z]{2}\d\d/.test(text)
      ? text.replace(IBAN, (match) => {
          const iban = leadingIban(match);
          return iban ? `[iban]${match.slice(iban.length)}` : match;
        })
      : text,
  scrubber(
    /\b(?=[\w+/-]*\d)(?=[\w+/-]*[a-z])[\w+/-]{32,}={0,2}/gi,
    '[secret]',
    (text, digits) => digits > 0 && text.length >= 32,
  ),
  // US social security numbers, without the never-issued area numbers 000, 666 and 900-999,
  // group 00 and serial 0000 (SSA, "The SSN Numbering Scheme").
  scrubber(
    /(^|[^\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d\d-(?!0000)\d{4}(?![\w-])/g,
    '$1[ssn]',
    (text, digits) => digits >= 9 && text.includes('-'),
  ),
  // IPv4 with octets of at most 255 and not inside a longer dotted number (`10.0.19045.3803`).
  scrubber(
    /(^|[^\w.])(?:(?:25[0-5]|2[0-4]\d|[01]?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d?\d)(?!\w|\.\d)/g,
    '$1[ip]',
    (text, digits) => digits >= 4 && text.includes('.'),
  ),
  scrubber(
    /\b(?:[0-9a-f]{1,4}:){4,7}[0-9a-f]{1,4}\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*::(?:[0-9a-f]{1,4}:?)*/gi,
    '[ip]',
    (text) => text.includes(':'),
  ),
  // After a `+` the digits are an international phone number's, which the next scrubber names.
  (text, digits) =>
    digits >= 13
      ? text.replace(CARD, (match: string, offset: number) =>
          text[offset - 1] !== '+' && luhn(match.replace(/\D/g, '')) ? '[card]' : match,
        )
      : text,
  // Phone numbers last: IPs, cards and SSNs are numbers of the same shapes with a better name.
  (text, digits) =>
    digits >= 7
      ? text.replace(
          PHONE_RUN,
          (match: string, before: string, run: string, extension: string, offset: number) => {
            const next = text[offset + match.length];
            if (next !== undefined && WORD_CHARACTER.test(next)) return match;
            const found = findPhoneNumber(run);
            if (!found) return match;
            const after = found[1] === run.length ? '' : run.slice(found[1]) + extension;
            return `${before}${run.slice(0, found[0])}[phone]${after}`;
          },
        )
      : text,
];
