import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createPreparedQuery } from '../../collector/pglite-prepared.js';

// Named prepared statements on a real PGlite, through the extended protocol it is spoken to in.
describe('createPreparedQuery (PGlite)', async () => {
  const pglite = new PGlite();
  await pglite.exec('CREATE TABLE items (id int PRIMARY KEY, body jsonb, at timestamptz)');
  const prepared = await createPreparedQuery(pglite);
  afterAll(() => pglite.close());

  const insert = `INSERT INTO items SELECT $1::int, $2::jsonb, $3::timestamptz
    RETURNING id, body, at, id * 1.5 AS half, (id > 1) AS big, NULL::text AS nothing`;

  it('parses once under its name and returns rows as PGlite’s query() would', async () => {
    const [row] = await prepared('items_insert', insert, [
      1,
      '{"a":[1,2]}',
      '2026-01-02T03:04:05Z',
    ]);
    const asQueried = await pglite.query(
      'SELECT id, body, at, id * 1.5 AS half, (id > 1) AS big, NULL::text AS nothing FROM items',
    );
    expect(row).toEqual(asQueried.rows[0]);
    expect(row).toMatchObject({ id: 1, body: { a: [1, 2] }, at: new Date('2026-01-02T03:04:05Z') });
    await prepared('items_insert', insert, [2, '{}', null]);
    const statements = await pglite.query<{ name: string }>(
      'SELECT name FROM pg_prepared_statements',
    );
    expect(statements.rows).toEqual([{ name: 'items_insert' }]);
  });

  it('surfaces an error, and the statement still runs afterwards', async () => {
    await expect(prepared('items_insert', insert, [1, '{}', null])).rejects.toThrow(
      /duplicate key/,
    );
    await expect(prepared('items_insert', insert, [3, 'not json', null])).rejects.toThrow(/json/);
    await expect(prepared('broken', 'SELEC 1', [])).rejects.toThrow(/syntax/);
    const rows = await prepared<{ id: number }>('items_insert', insert, [3, '[]', null]);
    expect(rows.map((row) => row.id)).toEqual([3]);
    expect((await pglite.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([{ n: 3 }]);
  });

  it('waits for another caller’s transaction instead of running inside it', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let opened = () => {};
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const rolledBack = pglite
      .transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (10, NULL, NULL)');
        opened();
        await held;
        await tx.rollback();
      })
      .catch(() => {});
    await open;
    const insertDuring = prepared('items_insert', insert, [11, '{}', null]);
    // Long enough for the insert to run inside the transaction, were it let in.
    setTimeout(release, 50);
    await Promise.all([rolledBack, insertDuring]);
    const ids = await pglite.query<{ id: number }>('SELECT id FROM items WHERE id >= 10');
    expect(ids.rows).toEqual([{ id: 11 }]);
  });
});
