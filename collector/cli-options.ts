/** Command-line options of `telemetry-kit-collector`, parsed with `node:util`'s `parseArgs`. */
import { parseArgs } from 'node:util';

/** The `--help` text. */
export const USAGE = `Usage: telemetry-kit-collector [options]
       telemetry-kit-collector rebuild-rollups [--data-dir <path> | --database-url <url>]

  --port <n>              Port to listen on (default 4318; 0 picks a free one)
  --host <address>        Address to bind (default 127.0.0.1: this machine only)
  --data-dir <path>       Embedded PGlite data directory (default .data/collector;
                          memory:// keeps events in memory only)
  --database-url <url>    PostgreSQL connection string (env DATABASE_URL); wins over --data-dir
  --allowed-origin <url>  Origin allowed to send events; repeat for more, '*' for any
  --admin-token <token>   Token for the dashboard, /v1/stats and /metrics
                          (env TELEMETRY_ADMIN_TOKEN)
  --ingest-token <token>  Token OpenTelemetry senders give to POST /v1/logs (OTLP/HTTP);
                          without one that route is off (env TELEMETRY_INGEST_TOKEN)
  --retention-days <n>    Delete events older than this (default 400)
  --trust-proxy           Rate-limit by X-Forwarded-For (only behind your own proxy)
  --help                  Show this text

rebuild-rollups rebuilds the rollups the dashboard reads from the raw events, then exits.
`;

/** Parsed command line, or a message explaining what is wrong with it. */
export type CliOptions =
  | {
      ok: true;
      port: number;
      host: string;
      dataDir: string;
      databaseUrl: string | undefined;
      allowedOrigins: string[];
      adminToken: string | undefined;
      ingestToken: string | undefined;
      retentionDays: number;
      trustProxy: boolean;
      help: boolean;
    }
  | { ok: false; message: string };

/** Reads argv and the environment; exported for tests. */
export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const port = Number(values.port ?? '4318');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return { ok: false, message: '--port must be an integer from 0 to 65535' };
  }
  const retentionDays = Number(values['retention-days'] ?? '400');
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    return { ok: false, message: '--retention-days must be a positive number' };
  }
  return {
    ok: true,
    port,
    host: values.host ?? '127.0.0.1',
    dataDir: values['data-dir'] ?? '.data/collector',
    databaseUrl: values['database-url'] ?? (env.DATABASE_URL || undefined),
    allowedOrigins: values['allowed-origin'] ?? [],
    adminToken: values['admin-token'] ?? (env.TELEMETRY_ADMIN_TOKEN || undefined),
    ingestToken: values['ingest-token'] ?? (env.TELEMETRY_INGEST_TOKEN || undefined),
    retentionDays,
    trustProxy: values['trust-proxy'] ?? false,
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'allowed-origin': { type: 'string', multiple: true },
      'admin-token': { type: 'string' },
      'ingest-token': { type: 'string' },
      'retention-days': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
