#!/usr/bin/env node
/**
 * `telemetry-kit-collector`: runs the reference collector and its dashboard.
 *
 *   telemetry-kit-collector --port 4318 --data-dir .data/collector \
 *     --allowed-origin https://app.example.com --admin-token "$TOKEN"
 */
import { parseCliOptions, USAGE } from './cli-options.js';
import { createCollector } from './collector.js';
import { listen } from './node-http.js';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'rebuild-rollups') return rebuildRollups(argv.slice(1));
  const options = parseCliOptions(argv, process.env);
  if (!options.ok) {
    process.stderr.write(`${options.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const collector = createCollector({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    dataDir: options.dataDir,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    ...(options.ingestToken ? { ingestToken: options.ingestToken } : {}),
    allowedOrigins: options.allowedOrigins,
    retentionDays: options.retentionDays,
  });
  const readiness = await collector.ready();
  if (!readiness.ok) {
    process.stderr.write(
      `telemetry-kit-collector: the database did not open: ${readiness.reason}\n`,
    );
    await collector.close();
    return 1;
  }
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    server = await listen(collector, {
      port: options.port,
      host: options.host,
      trustProxy: options.trustProxy,
    });
  } catch (error) {
    process.stderr.write(
      `telemetry-kit-collector: cannot listen: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await collector.close();
    return 1;
  }
  const storage =
    readiness.storeKind === 'postgres'
      ? 'PostgreSQL'
      : options.dataDir.startsWith('memory://')
        ? 'PGlite in memory (lost on exit)'
        : `PGlite in ${options.dataDir}`;
  const lines = [
    `telemetry-kit collector listening on ${server.url}`,
    `  ingest:    POST ${server.url}/v1/events`,
    options.ingestToken
      ? `  otlp:      POST ${server.url}/v1/logs (Authorization: Bearer <ingest token>)`
      : '  otlp:      off (set --ingest-token / TELEMETRY_INGEST_TOKEN for POST /v1/logs)',
    `  metrics:   GET ${server.url}/metrics (owner-only, like the dashboard)`,
    `  dashboard: ${server.url}/`,
    `  storage:   ${storage}`,
    `  origins:   ${options.allowedOrigins.length > 0 ? options.allowedOrigins.join(', ') : 'none (only requests without an Origin header)'}`,
    options.adminToken
      ? '  admin:     token required for the dashboard, /v1/stats and /metrics'
      : '  admin:     no --admin-token / TELEMETRY_ADMIN_TOKEN set: the dashboard answers only on localhost',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = async () => {
    await server.close();
    await collector.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

/** `telemetry-kit-collector rebuild-rollups`: rebuilds the rollups of the database and exits. */
async function rebuildRollups(argv: readonly string[]): Promise<number> {
  const options = parseCliOptions(argv, process.env);
  if (!options.ok) {
    process.stderr.write(`${options.message}\n\n${USAGE}`);
    return 2;
  }
  const collector = createCollector({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    dataDir: options.dataDir,
    retentionDays: options.retentionDays,
  });
  try {
    const readiness = await collector.ready();
    if (!readiness.ok) {
      process.stderr.write(
        `telemetry-kit-collector: the database did not open: ${readiness.reason}\n`,
      );
      return 1;
    }
    const rows = await collector.rebuildRollups();
    process.stdout.write(`telemetry-kit-collector: rollups rebuilt (${rows} rows)\n`);
    return 0;
  } catch (error) {
    process.stderr.write(
      `telemetry-kit-collector: rebuild-rollups failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  } finally {
    await collector.close();
  }
}

main().then((code) => {
  if (code >= 0) process.exit(code);
});
