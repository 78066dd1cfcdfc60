/**
 * FNV-1a, 32-bit: a fast, synchronous, non-cryptographic hash for grouping (error_hash) and for
 * stable sampling decisions. Never used to hide anything: that is `sha256Hex` (identity.ts).
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Bytes `text` takes as UTF-8, without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // 2 bytes up to U+07FF, 3 in the rest of the BMP, 4 for a surrogate pair (2 units, 2 each).
    if (code > 0x7f) bytes += code <= 0x7ff || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}
