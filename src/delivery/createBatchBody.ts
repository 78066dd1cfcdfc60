import type { ConsentGate } from '../capture/createConsent.js';
import { type BatchHeader, serializeBatch } from '../wire/buildBatch.js';
import type { DropCounts, TelemetryEvent } from '../wire/event.js';

export interface BatchBodyOptions {
  /** The sending service, and the policy version a receipt-less batch carries. */
  settings: { serviceName: string; serviceVersion: string; policyVersion: number };
  consent: ConsentGate;
  /** When the client was created: the consent receipt's time when none is stored. */
  startedAt: string;
  now: () => number;
}

/**
 * Request bodies of this client's batches: the wire envelope (its service, and the consent
 * receipt as stored when the batch is sent) around events stored serialised (delivery) or held
 * in memory (the page-hide beacon).
 */
export function createBatchBody({ settings, consent, startedAt, now }: BatchBodyOptions) {
  const header = (): BatchHeader => {
    const receipt = consent.receipt();
    return {
      service_name: settings.serviceName,
      service_version: settings.serviceVersion,
      consent: {
        policy_version: receipt?.policy_version ?? settings.policyVersion,
        granted_at: receipt?.decided_at ?? startedAt,
      },
    };
  };
  const ofJson = (eventsJson: string, dropped: DropCounts) =>
    serializeBatch(header(), eventsJson, dropped, now());
  return {
    ofJson,
    ofEvents: (events: TelemetryEvent[], dropped: DropCounts) =>
      ofJson(JSON.stringify(events), dropped),
  };
}
