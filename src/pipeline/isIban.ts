/**
 * Whether `compact` (capitals and digits, no spaces) is an IBAN by its check digits: ISO 13616's
 * MOD 97-10 (ISO 7064). The first four characters move to the end, letters count as 10 to 35,
 * and the number this spells must leave 1 when divided by 97; it is reduced a digit at a time so
 * that no number grows past 9,700.
 */
export function isIban(compact: string): boolean {
  if (compact.length < 15 || compact.length > 34) return false;
  const rotated = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rotated.length; i++) {
    const code = rotated.charCodeAt(i);
    // '0'-'9' are 48-57, 'A'-'Z' 65-90 (A = 10).
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + code - 48) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + code - 55) % 97;
    else return false;
  }
  return remainder === 1;
}

/**
 * The IBAN at the start of `candidate` (groups of up to four separated by single spaces, as it
 * is printed, or none), or `undefined`. A match may run on into a following word of capitals and
 * digits ("… 0130 00 OK"): groups are dropped from the end until the check digits agree.
 */
export function leadingIban(candidate: string): string | undefined {
  const groups = candidate.split(' ');
  for (let count = groups.length; count > 0; count--) {
    const compact = groups.slice(0, count).join('');
    if (compact.length < 15) return undefined;
    if (isIban(compact)) return groups.slice(0, count).join(' ');
  }
  return undefined;
}
