import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPgliteStore, createPostgresStore } from 'telemetry-kit-collector';
import { afterAll, describe, expect, it } from 'vitest';
import { countExport } from './count-export.js';
import { seedExportEvents } from './export-seed.js';
import { type MemoryPeaks, startHeapSampledCollector } from './heap-sampled-collector.js';
import { postgresUrl } from './store-engines.js';

/**
 * "1 M events exported with the collector's heap bounded", at CI size: 200,000 events exported
 * by a collector in its own process with a 48 MB old space, as NDJSON (the client stopping for
 * 1.5 s after the first chunk) and as CSV, to a sink that only counts. The process must live and
 * every row arrive. Response bytes live in array buffers, outside the V8 heap, so the test also
 * holds the sampled array buffers within 16 MB of idle: a buffered export of the ~90 MB file (as
 * the Node adapter once did) adds most of it there. The 1,000,000-event run with its figures is
 * test/bench/export.bench.ts.
 */
const EVENTS = 200_000;
const HEAP_MB = 48;
const TOKEN = 'export-at-scale-token';
const SLOW = 240_000;
const MB = 1_048_576;

const scratch = mkdtempSync(join(tmpdir(), 'telemetry-kit-export-at-scale-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const engines = [
  {
    name: 'PGlite (data directory)',
    enabled: true,
    async prepare() {
      const dataDir = join(scratch, 'pglite');
      const store = await createPgliteStore({ dataDir });
      const range = await seedExportEvents(store.database, EVENTS);
      await store.close();
      return { range, target: { dataDir }, drop: async () => {} };
    },
  },
  {
    name: 'PostgreSQL (TEST_DATABASE_URL)',
    enabled: Boolean(postgresUrl),
    async prepare() {
      const name = `telemetry_kit_export_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(postgresUrl ?? '');
      url.pathname = `/${name}`;
      const store = await createPostgresStore({ connectionString: url.href });
      const range = await seedExportEvents(store.database, EVENTS);
      await store.close();
      const drop = async () => {
        const cleanup = new pg.Client({ connectionString: postgresUrl });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS ${name}`);
        await cleanup.end();
      };
      return { range, target: { databaseUrl: url.href }, drop };
    },
  },
];

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const describePeaks = (peaks: MemoryPeaks) =>
  `heapUsed ${mb(peaks.heapUsed)}, arrayBuffers ${mb(peaks.arrayBuffers)}, rss ${mb(peaks.rss)}`;

describe.each(engines.filter((engine) => engine.enabled))(
  'GET /v1/export at scale: $name',
  (engine) => {
    it(
      `streams ${EVENTS.toLocaleString('en')} events as NDJSON and CSV within a ${HEAP_MB} MB heap, waiting for a slow client`,
      async () => {
        const { range, target, drop } = await engine.prepare();
        const collector = await startHeapSampledCollector({
          ...target,
          adminToken: TOKEN,
          maxOldSpaceMb: HEAP_MB,
        });
        try {
          const url = (format: string) =>
            `${collector.url}/v1/export?from=${range.fromDay}&to=${range.toDay}&format=${format}`;
          // A small export first: what the first request costs (code loaded, pools filled)
          // belongs to the idle figures, not to the export's.
          expect(
            (await countExport(`${url('csv')}&event_type=error&service=app_0`, TOKEN)).status,
          ).toBe(200);
          await collector.reset();
          const idle = await collector.peaks();

          const ndjson = await countExport(url('ndjson'), TOKEN, 1_500);
          const afterNdjson = await collector.peaks();
          await collector.reset();
          const csv = await countExport(url('csv'), TOKEN);
          const afterCsv = await collector.peaks();
          console.log(
            `[export] ${engine.name}: ${EVENTS} events, NDJSON ${mb(ndjson.bytes)} in ${ndjson.ms.toFixed(0)} ms, CSV ${mb(csv.bytes)} in ${csv.ms.toFixed(0)} ms; idle ${describePeaks(idle)}; NDJSON ${describePeaks(afterNdjson)}; CSV ${describePeaks(afterCsv)}`,
          );

          expect(collector.exitCode(), collector.stderr()).toBeNull();
          expect(ndjson).toMatchObject({ status: 200, lines: EVENTS });
          expect(csv).toMatchObject({ status: 200, lines: EVENTS + 1 });
          for (const peaks of [afterNdjson, afterCsv]) {
            expect(peaks.heapUsed).toBeLessThan(HEAP_MB * MB);
            // The file is ~90 MB: a buffered export, or one written past the socket's
            // back-pressure while the client pauses, would add most of it here.
            expect(peaks.arrayBuffers - idle.arrayBuffers).toBeLessThan(16 * MB);
          }
        } finally {
          await collector.stop();
          await drop();
        }
      },
      SLOW,
    );
  },
);
