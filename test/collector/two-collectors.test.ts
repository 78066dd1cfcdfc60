import pg from 'pg';
import { type Collector, createCollector } from 'telemetry-kit-collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRequest, makeBatch, makeEvent } from './fixtures.js';
import { freshPostgresDatabase, postgresUrl } from './store-engines.js';

/**
 * A throwaway database on the test server for the describe block that calls it (created before
 * its tests, dropped after them, once `collectors` are closed).
 */
function freshDatabaseFor(collectors: Collector[]): { url: string } {
  const database = { url: '' };
  let drop = async () => {};
  beforeAll(async () => {
    const made = await freshPostgresDatabase(postgresUrl ?? '');
    database.url = made.url;
    drop = made.drop;
  });
  afterAll(async () => {
    await Promise.all(collectors.map((collector) => collector.close()));
    await drop();
  });
  return database;
}

// Collector processes are stateless on one PostgreSQL (DESIGN.md, "Collector at scale and
// export"): the ids table's primary key dedupes whichever process a retry or beacon reaches.
describe.runIf(Boolean(postgresUrl))('two collectors on one PostgreSQL', () => {
  const collectors: Collector[] = [];
  const database = freshDatabaseFor(collectors);

  beforeAll(async () => {
    // The first one migrates; the second opens a database that already has the tables.
    for (let i = 0; i < 2; i += 1) {
      const collector = createCollector({ databaseUrl: database.url, rateLimit: false });
      expect(await collector.ready()).toEqual({ ok: true, storeKind: 'postgres' });
      collectors.push(collector);
    }
  });

  it('stores once the same batch posted to both at once', async () => {
    const events = Array.from({ length: 50 }, () => makeEvent());
    const body = JSON.stringify(makeBatch(events));
    const responses = await Promise.all(
      collectors.map((collector) =>
        collector.handle(ingestRequest(body), { clientAddress: '203.0.113.7' }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([202, 202]);
    const bodies = await Promise.all(responses.map((response) => response.json()));
    // Between them they accepted each event exactly once; the rest were duplicates.
    expect(bodies.reduce((sum, b) => sum + b.accepted, 0)).toBe(50);
    expect(bodies.reduce((sum, b) => sum + b.duplicates, 0)).toBe(50);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ stored: string; distinct_ids: string }>(
      'SELECT count(*) AS stored, count(DISTINCT id) AS distinct_ids FROM telemetry_events WHERE id = ANY($1)',
      [events.map((event) => event.id)],
    );
    await client.end();
    expect(rows[0]).toEqual({ stored: '50', distinct_ids: '50' });
  });
});

// Behind a load balancer the processes of a new deployment start together: on an empty
// database each tries to migrate. The migration's advisory lock lets one build the schema while
// the others wait, then find it done.
describe.runIf(Boolean(postgresUrl))('collectors starting at once on an empty PostgreSQL', () => {
  const collectors: Collector[] = [];
  const database = freshDatabaseFor(collectors);

  it('all become ready, the schema is migrated once, and each one ingests', async () => {
    for (let i = 0; i < 3; i += 1)
      collectors.push(createCollector({ databaseUrl: database.url, rateLimit: false }));
    const ready = await Promise.all(collectors.map((collector) => collector.ready()));
    expect(ready).toEqual(Array(3).fill({ ok: true, storeKind: 'postgres' }));

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const migrations = await client.query<{ version: number; times: string }>(
      'SELECT version, count(*) AS times FROM telemetry_schema_migrations GROUP BY version ORDER BY version',
    );
    // Every version applied exactly once, with no gap.
    expect(migrations.rows.map((row) => row.times)).toEqual(migrations.rows.map(() => '1'));
    expect(migrations.rows.map((row) => row.version)).toEqual(
      migrations.rows.map((_, index) => index + 1),
    );

    const responses = await Promise.all(
      collectors.map((collector) =>
        collector.handle(ingestRequest(JSON.stringify(makeBatch([makeEvent()]))), {
          clientAddress: '203.0.113.8',
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([202, 202, 202]);
    const stored = await client.query<{ n: string }>('SELECT count(*) AS n FROM telemetry_events');
    await client.end();
    expect(stored.rows[0]?.n).toBe('3');
  });
});
