/**
 * One event as it is stored on the device and sent on the wire (DESIGN.md, "Events and the
 * wire"). The browser client builds these; the collector validates them by the rules in
 * `rules.ts`.
 */

/** JSON values that survive scrubbing: what `metadata` may contain after it is cleaned. */
export type MetadataValue =
  | string
  | number
  | boolean
  | null
  | MetadataValue[]
  | { [key: string]: MetadataValue };

/** Coarse context attached to every event: never the full UA, IP, query string or referrer. */
export interface EventContext {
  /** Page path, sanitised: no query, no fragment, ids replaced by `:id`. */
  path?: string;
  /** `navigator.language`, e.g. `en-GB`. */
  locale?: string;
  /** Browser family: `chrome`, `edge`, `firefox`, `safari`, `opera`, `samsung`, `other`. */
  browser?: string;
  /** OS family: `windows`, `macos`, `ios`, `android`, `linux`, `chromeos`, `other`. */
  os?: string;
  /** `mobile`, `tablet` or `desktop`. */
  device?: string;
}

/** One event as it is stored on the device and sent on the wire. */
export interface TelemetryEvent {
  /** nanoid; the idempotency key the collector dedupes by. */
  id: string;
  event_type: string;
  /** ISO 8601 time the event happened. */
  timestamp: string;
  anonymous_id: string;
  session_id: string;
  /** Salted SHA-256 of the id given to `identify()`, hex. Never the raw id. */
  user_id?: string;
  /** Present when the event type is sampled below 100 %: the kept fraction, (0, 1). */
  sampling_rate?: number;
  metadata: { [key: string]: MetadataValue };
  context: EventContext;
}

/** Why events are lost on a device: each is counted and sent in the next batch's `dropped`. */
export const DROP_REASONS = [
  'overflow',
  'expired',
  'quota',
  'invalid',
  'too_large',
  'rejected',
  'before_send',
  'sampled',
] as const;

/** Why an event was lost on this device. Counted, sent in the next batch's `dropped`. */
export type DropReason = (typeof DROP_REASONS)[number];

/** Counts of lost events by reason, as a batch's `dropped` carries them. */
export type DropCounts = Partial<Record<DropReason, number>>;
