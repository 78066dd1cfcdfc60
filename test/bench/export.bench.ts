import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteStore, createPostgresStore } from 'telemetry-kit-collector';
import { afterAll, bench, describe } from 'vitest';
import { countExport } from '../collector/count-export.js';
import { type SeededRange, seedExportEvents } from '../collector/export-seed.js';
import {
  type HeapSampledCollector,
  type MemoryPeaks,
  startHeapSampledCollector,
} from '../collector/heap-sampled-collector.js';

/**
 * `GET /v1/export` of 1,000,000 events, as NDJSON and as CSV, from a collector in its own
 * process with a 48 MB V8 old space (`--max-old-space-size=48`), over PGlite (a data directory)
 * and, when TEST_DATABASE_URL is set, PostgreSQL. The events are seeded by generate_series SQL
 * (test/collector/export-seed.ts); a client that only counts lines downloads each file once. The
 * collector samples its memory every 5 ms; the peaks of each export go to
 * .cache/export-bench-memory.json, which ingest-summary.mjs prints after the times.
 *
 *   npx vitest bench --run --project collector test/bench/export.bench.ts
 */
const EVENTS = 1_000_000;
const HEAP_MB = 48;
const TOKEN = 'export-bench-token';
const MEMORY_FILE = '.cache/export-bench-memory.json';

const scratch = mkdtempSync(join(tmpdir(), 'telemetry-kit-export-bench-'));
const running: HeapSampledCollector[] = [];
const cleanups: (() => Promise<void>)[] = [];
const measured: Record<string, MemoryPeaks & { lines: number; bytes: number }> = {};

afterAll(async () => {
  for (const collector of running) await collector.stop();
  for (const cleanup of cleanups) await cleanup();
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync('.cache', { recursive: true });
  writeFileSync(
    MEMORY_FILE,
    JSON.stringify({ events: EVENTS, heapMb: HEAP_MB, exports: measured }, null, 2),
  );
});

async function pglite(): Promise<{ range: SeededRange; target: { dataDir: string } }> {
  const dataDir = join(scratch, 'pglite');
  const store = await createPgliteStore({ dataDir });
  const range = await seedExportEvents(store.database, EVENTS);
  await store.close();
  return { range, target: { dataDir } };
}

async function postgres(
  url: string,
): Promise<{ range: SeededRange; target: { databaseUrl: string } }> {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_export');
  await admin.query('CREATE DATABASE bench_export');
  await admin.end();
  const databaseUrl = new URL(url);
  databaseUrl.pathname = '/bench_export';
  const store = await createPostgresStore({ connectionString: databaseUrl.href });
  const range = await seedExportEvents(store.database, EVENTS);
  await store.close();
  cleanups.push(async () => {
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    await cleanup.query('DROP DATABASE IF EXISTS bench_export');
    await cleanup.end();
  });
  return { range, target: { databaseUrl: databaseUrl.href } };
}

const postgresUrl = process.env.TEST_DATABASE_URL;
const engines = [
  { name: 'PGlite', prepare: pglite },
  ...(postgresUrl ? [{ name: 'PostgreSQL', prepare: () => postgres(postgresUrl) }] : []),
];

for (const engine of engines) {
  const { range, target } = await engine.prepare();
  const collector = await startHeapSampledCollector({
    ...target,
    adminToken: TOKEN,
    maxOldSpaceMb: HEAP_MB,
  });
  running.push(collector);
  describe(`export: ${engine.name}, GET /v1/export of ${EVENTS.toLocaleString('en')} events, ${HEAP_MB} MB heap (ms per file)`, () => {
    for (const format of ['ndjson', 'csv']) {
      const name = `${engine.name} ${format}`;
      bench(
        format,
        async () => {
          await collector.reset();
          const url = `${collector.url}/v1/export?from=${range.fromDay}&to=${range.toDay}&format=${format}`;
          const counted = await countExport(url, TOKEN);
          const expected = format === 'csv' ? EVENTS + 1 : EVENTS;
          if (counted.status !== 200 || counted.lines !== expected || collector.exitCode() !== null)
            throw new Error(`${name}: ${JSON.stringify(counted)} ${collector.stderr()}`);
          measured[name] = {
            ...(await collector.peaks()),
            lines: counted.lines,
            bytes: counted.bytes,
          };
        },
        { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 },
      );
    }
  });
}
