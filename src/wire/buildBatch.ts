import type { DropCounts, TelemetryEvent } from './event.js';

/** The body of `POST {endpoint}` (DESIGN.md, "Events and the wire"). */
export interface TelemetryBatch {
  service_name: string;
  service_version: string;
  sdk: { name: 'telemetry-kit'; version: string };
  sent_at: string;
  /** The consent receipt: which policy the user agreed to and when. */
  consent: { policy_version: number; granted_at: string };
  /** Events lost on this device since the last delivered batch, by reason. */
  dropped: DropCounts;
  events: TelemetryEvent[];
}

/** What every batch of one client says about its sender: all of the envelope but the events. */
export type BatchHeader = Pick<TelemetryBatch, 'service_name' | 'service_version' | 'consent'>;

/** The batch envelope around `events`, sent at `sentAt` (ms). */
export function buildBatch(
  header: BatchHeader,
  events: TelemetryEvent[],
  dropped: DropCounts,
  sentAt: number,
): TelemetryBatch {
  return {
    service_name: header.service_name,
    service_version: header.service_version,
    sdk: { name: 'telemetry-kit', version: __SDK_VERSION__ },
    sent_at: new Date(sentAt).toISOString(),
    consent: header.consent,
    dropped,
    events,
  };
}

/**
 * The request body of a batch whose events are serialised already (a JSON array, as the queue
 * stores them): only the envelope is serialised around them, so an event is stringified once,
 * when it is persisted, and not again for each attempt to send it.
 */
export function serializeBatch(
  header: BatchHeader,
  eventsJson: string,
  dropped: DropCounts,
  sentAt: number,
): string {
  const envelope = JSON.stringify(buildBatch(header, [], dropped, sentAt));
  // `events` is the envelope's last key: its empty array is the text's last three characters.
  return `${envelope.slice(0, -3)}${eventsJson}}`;
}

/** Serialised event arrays joined into one, without parsing them. */
export function joinEventArrays(arrays: readonly string[]): string {
  const items = arrays.filter((json) => json !== '[]').map((json) => json.slice(1, -1));
  return `[${items.join(',')}]`;
}
