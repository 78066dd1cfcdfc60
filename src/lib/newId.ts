import { urlAlphabet } from 'nanoid';

/**
 * nanoid ids (21 characters of nanoid's URL-safe alphabet, 126 random bits) drawn from a pool
 * of random bytes refilled 4 KiB at a time. nanoid's browser build calls
 * `crypto.getRandomValues` once per id — a third of `track()`'s cost in the profile — and its
 * `customRandom` allocates a view per id; this reads the pool directly. Each byte of the
 * CSPRNG output is used once.
 */
const POOL_BYTES = 4096;
const ID_LENGTH = 21;
let pool = new Uint8Array(0);
let offset = POOL_BYTES;

/** A nanoid: event ids, anonymous ids, session ids. */
export function newId(): string {
  if (offset + ID_LENGTH > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    offset = 0;
  }
  let id = '';
  // The alphabet has 64 symbols, so the low 6 bits of a byte pick one without bias.
  for (let i = 0; i < ID_LENGTH; i++) id += urlAlphabet[pool[offset++]! & 63];
  return id;
}
