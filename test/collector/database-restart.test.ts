import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import pg from 'pg';
import { createCollector, createPgliteStore } from 'telemetry-kit-collector';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestRequest, makeBatch, makeEvent } from './fixtures.js';

const postgresBin = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(a) - Number(b));
  const bin = versions.length ? `${root}/${versions[versions.length - 1]}/bin` : undefined;
  return bin && existsSync(`${bin}/pg_ctl`) ? bin : undefined;
})();
// Without PostgreSQL's binaries this suite is skipped, unless CI requires PostgreSQL.
const runPostgres = Boolean(postgresBin) || process.env.REQUIRE_POSTGRES === '1';

describe('the database stops mid-ingest and comes back', () => {
  let dataDir = '';
  const pgCtl = (action: string[]) => {
    const args = [`${postgresBin}/pg_ctl`, '-D', `${dataDir}/data`, '-w', '-t', '60'];
    const command = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
    const [file, ...rest] = command;
    execFileSync(file ?? '', [...rest, ...action], { stdio: 'ignore' });
  };

  afterAll(() => {
    if (!dataDir) return;
    try {
      pgCtl(['stop', '-m', 'fast']);
    } catch {}
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.runIf(runPostgres)(
    'answers 503 with Retry-After while PostgreSQL is down, recovers without a restart and loses no acknowledged event',
    async () => {
      // A dedicated server: stopping the suite's shared one would fail the other files.
      const lines = execFileSync('bash', ['scripts/start-postgres.sh'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .trim()
        .split('\n');
      dataDir = (lines.find((line) => line.startsWith('TEST_DATABASE_DIR=')) ?? '').slice(18);
      const databaseUrl = (lines.find((line) => line.startsWith('TEST_DATABASE_URL=')) ?? '').slice(
        18,
      );
      const collector = createCollector({ databaseUrl, rateLimit: false });
      expect(await collector.ready()).toMatchObject({ ok: true });

      const acknowledged: string[] = [];
      const statuses: number[] = [];
      const retryAfters = new Set<string | null>();
      const postOne = async () => {
        const events = Array.from({ length: 10 }, () => makeEvent());
        const response = await collector.handle(ingestRequest(JSON.stringify(makeBatch(events))), {
          clientAddress: '203.0.113.7',
        });
        statuses.push(response.status);
        if (response.status === 202) acknowledged.push(...events.map((event) => event.id));
        if (response.status === 503) retryAfters.add(response.headers.get('retry-after'));
        await response.body?.cancel();
        return response.status;
      };

      for (let i = 0; i < 20; i += 1) await postOne();
      pgCtl(['stop', '-m', 'fast']);
      let down = 0;
      for (let i = 0; i < 10; i += 1) if ((await postOne()) === 503) down += 1;
      const port = new URL(databaseUrl).port;
      pgCtl([
        'start',
        '-l',
        `${dataDir}/server.log`,
        '-o',
        `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dataDir} -c fsync=off`,
      ]);
      let recovered = false;
      for (let i = 0; i < 100 && !recovered; i += 1) {
        recovered = (await postOne()) === 202;
        if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (let i = 0; i < 20; i += 1) await postOne();

      expect(down).toBe(10);
      expect([...retryAfters]).toEqual(['5']);
      expect(statuses.every((status) => status === 202 || status === 503)).toBe(true);
      expect(recovered).toBe(true);
      await collector.close();
      expect(acknowledged.length).toBeGreaterThanOrEqual(400);
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query<{ stored: string }>(
        'SELECT count(*) AS stored FROM telemetry_events WHERE id = ANY($1)',
        [acknowledged],
      );
      await client.end();
      expect(Number(rows[0]?.stored)).toBe(acknowledged.length);
    },
    120_000,
  );

  it('answers 503 with Retry-After when the PGlite store fails', async () => {
    const store = await createPgliteStore();
    const collector = createCollector({ store, rateLimit: false });
    await collector.ready();
    // PGlite's own failure (a full disk, a corrupt page) arrives as a rejected query.
    const failing = async () => {
      throw new Error('PGlite: could not write block');
    };
    Object.assign(store.database, { query: failing, transaction: failing });
    const response = await collector.handle(
      ingestRequest(JSON.stringify(makeBatch([makeEvent()]))),
      { clientAddress: '203.0.113.7' },
    );
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    await collector.close();
    await store.close().catch(() => {});
  }, 30_000);

  it('answers 503 at once, instead of never, when the PGlite store it was given is closed', async () => {
    const store = await createPgliteStore();
    const collector = createCollector({ store, rateLimit: false });
    await collector.ready();
    // The app that owns the store closes it (its own shutdown) while requests still arrive.
    await store.close();
    const answered = await Promise.race([
      collector.handle(ingestRequest(JSON.stringify(makeBatch([makeEvent()]))), {
        clientAddress: '203.0.113.7',
      }),
      new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 5_000)),
    ]);
    expect(answered === 'no answer' ? answered : answered.status).toBe(503);
    await collector.close();
  }, 30_000);
});
