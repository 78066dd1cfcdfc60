/**
 * telemetry-kit/wire: the wire format shared by the browser client and a collector — the event
 * and batch types, how a batch is built, the drop reasons, and the patterns and limits both
 * ends enforce. The reference collector validates with these; a collector of your own can too.
 *
 * @packageDocumentation
 */
export {
  type BatchHeader,
  buildBatch,
  joinEventArrays,
  serializeBatch,
  type TelemetryBatch,
} from './buildBatch.js';
export {
  DROP_REASONS,
  type DropCounts,
  type DropReason,
  type EventContext,
  type MetadataValue,
  type TelemetryEvent,
} from './event.js';
export { ID_PATTERN, USER_HASH_PATTERN } from './idPatterns.js';
export { EVENT_TYPE_PATTERN, looser } from './rules.js';

import { FIELD_LIMITS } from './fieldLimits.js';
import { CAPTURE_LIMITS } from './rules.js';

/** Every limit the client enforces on an event: when it accepts it, and when it builds it. */
export const LIMITS = { ...CAPTURE_LIMITS, ...FIELD_LIMITS } as const;
