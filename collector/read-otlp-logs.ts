import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { LIMITS, looser } from 'telemetry-kit/wire';
import * as v from 'valibot';
import { describeIssues, PARSE_CONFIG } from './bounded-schemas.js';
import { type LogsRequest, LogsRequestSchema } from './otlp-logs-schema.js';
import { decodeExportLogsRequest } from './otlp-protobuf.js';
import { checkShape, parseJsonBody } from './read-json-body.js';
import { decodeUtf8, readBodyBytes } from './request-body.js';

const gunzipAsync = promisify(gunzip);

/** How a request's body was encoded: its answer is encoded the same way (OTLP/HTTP). */
export type OtlpEncoding = 'json' | 'protobuf';

/** Bounds `readOtlpLogs` enforces. */
export interface OtlpLogsLimits {
  /** Largest body, before and after gzip: a small upload cannot inflate into a large one. */
  maxBodyBytes: number;
  /** Most log records in one request; more gets `413`. */
  maxLogRecords: number;
}

/** A request ready to map, or the 4xx answer it earned. */
export type OtlpLogsRead =
  | { ok: true; request: LogsRequest; encoding: OtlpEncoding; records: number }
  | { ok: false; status: 400 | 413 | 415; error: string; reason: string };

// request → resourceLogs → a resource → scopeLogs → a scope → logRecords → a record → its body
// are eight levels; each level of key-values below the body costs four (kvlistValue, values,
// a key-value, its value), and the body may nest as deep as batch metadata may.
const BODY_LEVEL = 8;
const MAX_DEPTH = BODY_LEVEL + 4 * (looser(LIMITS.depth) + 1);
/** As a batch: the whole document's values, counted before any schema walks them. */
const MAX_VALUES = 200_000;
const SHAPE = { maxDepth: MAX_DEPTH, maxValues: MAX_VALUES, subject: 'the request' };

/**
 * Body → checked `ExportLogsServiceRequest`, cheapest checks first: media type and encoding,
 * size (while reading, and again while inflating), decoding (JSON or protobuf), shape (depth,
 * value count, forbidden keys), the frame's schema, then the record count. Records themselves
 * are checked one by one when mapped.
 */
export async function readOtlpLogs(
  request: Request,
  limits: OtlpLogsLimits,
): Promise<OtlpLogsRead> {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  const encoding: OtlpEncoding | undefined =
    mediaType === 'application/json'
      ? 'json'
      : mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf'
        ? 'protobuf'
        : undefined;
  if (encoding === undefined) {
    return refuse(
      415,
      'unsupported_media_type',
      'send OTLP logs as application/json or application/x-protobuf',
    );
  }
  const contentEncoding = (request.headers.get('content-encoding') ?? 'identity')
    .trim()
    .toLowerCase();
  if (contentEncoding !== 'identity' && contentEncoding !== 'gzip') {
    return refuse(
      415,
      'unsupported_encoding',
      'send the body as is or with Content-Encoding: gzip',
    );
  }
  const body = await readBodyBytes(request, limits.maxBodyBytes);
  if (!body.ok) return body;
  let bytes = body.bytes;
  if (contentEncoding === 'gzip') {
    const inflated = await inflate(bytes, limits.maxBodyBytes);
    if (!inflated.ok) return inflated;
    bytes = inflated.bytes;
  }

  let decoded: unknown;
  if (encoding === 'json') {
    const text = decodeUtf8(bytes);
    if (!text.ok) return text;
    const parsed = parseJsonBody(text.text, { ...SHAPE, maxBytes: limits.maxBodyBytes });
    if (!parsed.ok) return parsed;
    decoded = parsed.value;
  } else {
    const message = decodeExportLogsRequest(bytes);
    if (!message.ok) {
      return refuse(
        400,
        'malformed_protobuf',
        `not an ExportLogsServiceRequest: ${message.reason}`,
      );
    }
    const problem = checkShape(message.value, SHAPE);
    if (problem) return problem;
    decoded = message.value;
  }

  const frame = v.safeParse(LogsRequestSchema, decoded, PARSE_CONFIG);
  if (!frame.success) return refuse(400, 'invalid_logs', describeIssues(frame.issues));
  let records = 0;
  for (const resourceLogs of frame.output.resourceLogs ?? []) {
    for (const scopeLogs of resourceLogs.scopeLogs ?? [])
      records += scopeLogs.logRecords?.length ?? 0;
  }
  // 413, not 400: an SDK or a Collector's batch processor can send fewer at a time.
  if (records > limits.maxLogRecords) {
    return refuse(
      413,
      'too_many_log_records',
      `a request holds at most ${limits.maxLogRecords} log records; send smaller batches`,
    );
  }
  return { ok: true, request: frame.output, encoding, records };
}

async function inflate(
  bytes: Uint8Array,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array } | (OtlpLogsRead & { ok: false })> {
  try {
    // maxOutputLength stops inflating at the limit: a gzip bomb costs maxBytes, not its size.
    return { ok: true, bytes: await gunzipAsync(bytes, { maxOutputLength: maxBytes }) };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      return refuse(413, 'payload_too_large', `the inflated body exceeds ${maxBytes} bytes`);
    }
    return refuse(400, 'malformed_gzip', 'the body is not valid gzip');
  }
}

function refuse(
  status: 400 | 413 | 415,
  error: string,
  reason: string,
): OtlpLogsRead & { ok: false } {
  return { ok: false, status, error, reason };
}
