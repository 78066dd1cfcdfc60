import { customRandom, urlAlphabet } from 'nanoid';

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: nanoid's browser build calls
 * `crypto.getRandomValues` once per id, which was a third of `track()`'s cost. The bytes are
 * the same CSPRNG output, each used once.
 */
let pool = new Uint8Array(0);
let offset = 0;
function pooledRandom(bytes: number): Uint8Array {
  if (offset + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(Math.max(bytes, 4096)));
    offset = 0;
  }
  offset += bytes;
  return pool.subarray(offset - bytes, offset);
}

/** A nanoid (21 URL-safe characters): event ids, anonymous ids, session ids. */
export const newId: () => string = /* @__PURE__ */ customRandom(urlAlphabet, 21, pooledRandom);
