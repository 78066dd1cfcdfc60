/**
 * Limits of built-in fields, applied when an event is built (in the delivery engine's chunk, so
 * they are not in every page's code). See `CAPTURE_LIMITS` for the rest.
 */
export const FIELD_LIMITS = {
  serviceVersion: 50,
  locale: 16,
  library: 100,
  version: 50,
  /** A `component.mount` prop value, and how many props a mount keeps. */
  propValue: 100,
  props: 20,
} as const;
