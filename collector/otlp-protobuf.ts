import { type INamespace, Root, type Type } from 'protobufjs/light.js';
import { OTLP_LOGS_DESCRIPTOR } from './otlp-logs-descriptor.js';

/**
 * OTLP/HTTP's binary encoding (https://opentelemetry.io/docs/specs/otlp/#binary-protobuf-encoding)
 * with protobufjs over the official opentelemetry-proto definitions (vendored in
 * collector/otlp-proto). protobufjs/light builds its decoder from the JSON descriptor, so the
 * collector carries no .proto parser.
 */

let types: { request: Type; response: Type } | undefined;

// Built on first use: a collector that never sees protobuf never pays for the code generation.
function logsTypes(): { request: Type; response: Type } {
  if (!types) {
    const root = Root.fromJSON(OTLP_LOGS_DESCRIPTOR as INamespace);
    types = {
      request: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
      response: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    };
  }
  return types;
}

/** An `ExportLogsServiceRequest`, decoded, or why the bytes are not one. */
export type ProtobufDecode = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Decodes an `ExportLogsServiceRequest` into the shape of its OTLP/JSON encoding (lowerCamelCase
 * fields, 64-bit integers as decimal strings, bytes as base64, enums as numbers), so one reader
 * validates and maps both encodings. Never throws: truncated or mistyped bytes, and nesting past
 * protobufjs's recursion limit, come back as a reason.
 */
export function decodeExportLogsRequest(bytes: Uint8Array): ProtobufDecode {
  const { request } = logsTypes();
  try {
    const message = request.decode(bytes);
    return {
      ok: true,
      value: request.toObject(message, { longs: String, enums: Number, bytes: String }),
    };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** What an `ExportLogsServiceResponse` says about a request that was not wholly accepted. */
export interface LogsPartialSuccess {
  rejectedLogRecords: number;
  errorMessage: string;
}

/** Encodes an `ExportLogsServiceResponse`: the answer to a protobuf request is protobuf too. */
export function encodeExportLogsResponse(
  partialSuccess: LogsPartialSuccess,
): Uint8Array<ArrayBuffer> {
  const { response } = logsTypes();
  const encoded = response.encode(response.fromObject({ partialSuccess })).finish();
  // A copy on its own ArrayBuffer: protobufjs may hand out a view into a shared pool.
  return new Uint8Array(encoded);
}
