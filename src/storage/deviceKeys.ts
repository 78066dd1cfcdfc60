/**
 * Everything the library keeps on the device, in one place: the localStorage keys (each under
 * `<storageKey>:`) and the IndexedDB database. `KeyValue` takes only these names, so a value
 * cannot be written under a key this list does not know, and what a revoke or a forget deletes
 * is derived from it: a key added here is deleted with the rest.
 */
export const DEVICE_KEYS = {
  /** The user's decision and its policy version: the only value written before consent. */
  consent: 'consent',
  /** The anonymous id. */
  anonymousId: 'id',
  /** The current session: id, start, last activity. */
  session: 'session',
  /** The salted SHA-256 of the id given to `identify()`. */
  userHash: 'user',
  /** The backoff deadline, so the next page load also waits out an outage. */
  retryAt: 'retry_at',
  /** Drop counts not yet reported to the collector. */
  dropped: 'dropped',
  /** Events a page-hide beacon carried, deleted from the queue on the next load. */
  beaconed: 'beaconed',
  /**
   * The destinations' lanes that stored anything (their ids, as a JSON array). Each lane keeps
   * its own copy of the ids and delivery values above, under `<key>@<lane>`, and its own queue
   * database: see `laneKeys` and `laneDatabaseName`.
   */
  lanes: 'lanes',
} as const;

export type BaseKey = (typeof DEVICE_KEYS)[keyof typeof DEVICE_KEYS];

/** A localStorage key of the library, without its prefix: its own, or a destination lane's. */
export type DeviceKey = BaseKey | `${BaseKey}@${string}`;
