/**
 * The rules both ends of the wire enforce: the patterns of ids and event types and the size
 * limits. The browser client cleans and cuts what callers pass to these limits; the collector
 * refuses what breaks them, with a margin (see `looser`), so a healthy client never meets its
 * refusals and a hostile one meets them early.
 */

/** Event types: letters, digits, `.`, `_`, `-`, `:`; 1 to 64 characters, a letter or digit first. */
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9][\w.:-]{0,63}$/;

/**
 * What one event may hold, as the client enforces it when it accepts the event (before consent,
 * in every page's code). Lengths are in UTF-16 code units, sizes in characters of the serialised
 * metadata. The limits of built-in fields applied when the event is built are `FIELD_LIMITS`;
 * `telemetry-kit/wire` exports both as one `LIMITS`.
 */
export const CAPTURE_LIMITS = {
  /** Nesting of caller metadata below the metadata object itself. */
  depth: 5,
  keysPerObject: 50,
  arrayLength: 50,
  stringLength: 1_000,
  keyLength: 64,
  /** Values in one event's metadata, all levels together. */
  values: 500,
  /** Approximate serialised size of one event's metadata. */
  metadataSize: 8 * 1024,
  /** A page path, and one of its segments. */
  path: 300,
  pathSegment: 100,
  serviceName: 100,
  /** Names: features, components, flows. */
  name: 200,
  /** Built-in fields with a tighter limit than other metadata strings. */
  errorClass: 100,
  errorMessage: 500,
  errorStack: 2_000,
} as const;

/**
 * A collector's bound for one of the client's limits: twice it. The margin lets a client of an
 * older or newer release through, and a body that is far off the client's shape is refused.
 */
export const looser = (clientLimit: number): number => clientLimit * 2;
