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
