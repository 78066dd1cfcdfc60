/** Day-month-year or year-month-day with any separator: `02.12.2026`, `2026-12-02`. */
const DATE = /^(?:\d{1,2}[ ./-]\d{1,2}[ ./-]\d{2}(?:\d\d)?|\d{4}[ ./-]\d{1,2}[ ./-]\d{1,2})$/;
/** `00` and a country code, as Europe dials abroad: `0049 30 1234567`, `00 44 20 7946 0958`. */
const INTERNATIONAL_PREFIX = /^00 ?[1-9]/;
/** North American Numbering Plan: `(202) 555-0173`, `202-555-0173`, `1 202.555.0173`. */
const NANP = /^(?:1[ .-]?)?(?:\([2-9]\d\d\) ?|[2-9]\d\d[ .-]?)\d{3}[ .-]\d{4}$/;
/** A parenthesised area code, then the number: `(0703) 101335462`, `(70) 3101-3354`. */
const AREA_CODE = /^\(\d{1,5}\) ?\d[\d -]+$/;
/**
 * A national number with its trunk prefix 0 (most of Europe, the UK, Australia, Japan, India):
 * with it, at most 13 digits (German numbers run to 12 after the 0).
 */
const TRUNK = /^\(?0\d+\)?(?:[ .-]\(?\d+\)?)*$/;
/** Digits only: then a leading 0 must be a trunk prefix, not an id's padding (`000123456`). */
const BARE = /^\d+$/;
/**
 * Digits in groups joined by one space, hyphen or dot, or by parentheses around a group. Each
 * repetition starts with its joint, so a long run of digits cannot backtrack exponentially.
 */
const GROUPED = /^\+?\(?\d+(?:(?:[ .-]|\) ?|[ .-]?\()\d+)*\)?$/;
/** A US social security number's shape is the `[ssn]` pattern's to judge (invalid ones stay). */
const SSN_SHAPE = /^\d{3}-\d\d-\d{4}$/;

/**
 * Whether `candidate` (digits with spaces, hyphens, dots or parentheses, as `scrubString` finds
 * them) is written as a phone number: international (`+` or `00`; E.164 allows at most 15
 * digits), with a trunk prefix or an area code in parentheses, North American, or a national
 * number in three or more groups of two to four digits (`06 12 34 56 78`, `91 563 68 07`,
 * `946-280-645`). What it is not: dates, decimals and versions (dots only in the North American
 * and trunk forms), runs of digits without a `+` or a leading 0 (counts, ids, timestamps), fewer
 * than 7 digits (E.164's shortest numbers are 7 and 8 digits long with their country code).
 */
export function isPhoneNumber(candidate: string): boolean {
  let digits = 0;
  for (let i = 0; i < candidate.length; i++) {
    const code = candidate.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  if (digits < 7 || digits > 15 || !GROUPED.test(candidate) || DATE.test(candidate)) return false;
  if (SSN_SHAPE.test(candidate)) return false;
  if (candidate.startsWith('+') || INTERNATIONAL_PREFIX.test(candidate)) return true;
  if (NANP.test(candidate)) return true;
  if (digits < 8 || digits > 13) return false;
  if (AREA_CODE.test(candidate)) return true;
  if (TRUNK.test(candidate)) return !BARE.test(candidate) || candidate[1] !== '0';
  if (candidate.includes('.') || candidate.includes('(')) return false;
  return nationalGroups(candidate);
}

/**
 * Three or more groups of two to four digits, one separator throughout; with spaces, two groups
 * of exactly two digits too, as French, Spanish and Polish numbers are written (`968 07 97 27`),
 * so that lists of statuses or sizes (`200 201 204`) are not taken for numbers.
 */
function nationalGroups(candidate: string): boolean {
  const separator = candidate.includes('-') ? '-' : ' ';
  const groups = candidate.split(separator);
  if (groups.length < 3) return false;
  let pairs = 0;
  for (const group of groups) {
    if (group.length < 2 || group.length > 4 || !/^\d+$/.test(group)) return false;
    if (group.length === 2) pairs++;
  }
  return separator === '-' || pairs >= 2;
}

/**
 * The phone number in a run of digits and joints, as `[start, end)` offsets, or `undefined`. A
 * run may join a number to a number beside it (`status 404 0612345678`, `0612345678 2026`), so
 * when the whole run is not a phone number, it is tried without its first group, its last, and
 * both. No more: every shorter span of a long run of groups would find "numbers" in serials.
 */
export function findPhoneNumber(run: string): [number, number] | undefined {
  if (isPhoneNumber(run)) return [0, run.length];
  const afterFirst = run.indexOf(' ') + 1;
  const beforeLast = run.lastIndexOf(' ');
  if (afterFirst === 0) return undefined;
  const spans: Array<[number, number]> = [
    [afterFirst, run.length],
    [0, beforeLast],
    [afterFirst, beforeLast],
  ];
  return spans.find(([start, end]) => start < end && isPhoneNumber(run.slice(start, end)));
}
