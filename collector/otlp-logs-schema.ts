import { LIMITS, looser } from 'telemetry-kit/wire';
import * as v from 'valibot';
import { boundedArray, textUpTo } from './bounded-schemas.js';

/**
 * The parts of an OTLP `ExportLogsServiceRequest` the collector reads, in the OTLP/JSON shape
 * (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) that protobuf bodies are
 * decoded into too. Loose objects: OTLP receivers must ignore fields they do not know, and the
 * collector has no use for most (trace ids, severity, flags). The request's frame is checked
 * whole; records one by one (`readLogRecord`), so one bad record never costs the good ones.
 */

/** Attributes of a resource or record: bounded like a metadata object's keys. */
export const MAX_ATTRIBUTES = looser(LIMITS.keysPerObject);

const KEY_VALUE = v.looseObject({
  key: v.string(),
  value: v.nullish(v.unknown()),
});

const ATTRIBUTES = v.nullish(boundedArray(KEY_VALUE, MAX_ATTRIBUTES));

/** A resource's or record's attributes as decoded, before their values are read. */
export type OtlpAttributes = v.InferOutput<typeof ATTRIBUTES>;

/** Instrumentation scopes name a library (`@opentelemetry/...`, a module path): short text. */
const SCOPE_TEXT_LENGTH = 256;

/** The frame of a request: resources, their scopes and the scopes' records (not yet checked). */
export const LogsRequestSchema = v.looseObject({
  resourceLogs: v.nullish(
    v.array(
      v.looseObject({
        resource: v.nullish(v.looseObject({ attributes: ATTRIBUTES })),
        scopeLogs: v.nullish(
          v.array(
            v.looseObject({
              scope: v.nullish(
                v.looseObject({
                  name: v.nullish(textUpTo(SCOPE_TEXT_LENGTH)),
                  version: v.nullish(textUpTo(SCOPE_TEXT_LENGTH)),
                }),
              ),
              logRecords: v.nullish(v.array(v.unknown())),
            }),
          ),
        ),
      }),
    ),
  ),
});

/** A request whose frame was checked. */
export type LogsRequest = v.InferOutput<typeof LogsRequestSchema>;
