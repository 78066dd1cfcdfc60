/**
 * The patterns of the ids an event carries. Apart from `rules.ts`, which every page loads: only
 * the delivery engine (which makes the ids) and the collector (which checks them) need these.
 */

/** Event, anonymous and session ids: nanoid's 21 characters here; other clients may use 8-64. */
export const ID_PATTERN = /^[\w-]{8,64}$/;

/** `user_id`: the hex SHA-256 `identify()` stores; other clients' hashes may be 32-128 digits. */
export const USER_HASH_PATTERN = /^[0-9a-f]{64}$/;
