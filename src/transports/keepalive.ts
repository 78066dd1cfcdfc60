/** The in-flight byte quota shared by keepalive fetches and beacons of a page (Fetch spec). */
export const KEEPALIVE_LIMIT = 64 * 1024;

/** Anything outside ASCII: where a UTF-16 unit is more than one byte of UTF-8. */
const NON_ASCII = /[\u0080-\uffff]/;

/** Bytes `text` takes as UTF-8, without allocating an encoded copy. */
export function utf8Length(text: string): number {
  // Batches are mostly ASCII: one native scan is far cheaper than a JavaScript loop over them.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // 2 bytes up to U+07FF, 3 in the rest of the BMP, 4 for a surrogate pair (2 units, 2 each).
    if (code > 0x7f) bytes += code <= 0x7ff || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}
