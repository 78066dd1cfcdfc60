import type { PGlite } from '@electric-sql/pglite';
import type { SqlParameter, SqlRow } from './sql-database.js';

/** Runs a statement kept prepared under `name`: PGlite's counterpart of `pg`'s named queries. */
export type PreparedQuery = <Row extends SqlRow>(
  name: string,
  sql: string,
  parameters: readonly SqlParameter[],
) => Promise<Row[]>;

/**
 * Named prepared statements on PGlite, which `query()` does not offer: it parses, plans and
 * binds an unnamed statement at every call. ingest's insert with its rollups spends more
 * time being planned than run, so this speaks the extended protocol itself — Parse under a
 * name once, then Bind, Execute and Sync — which lets PostgreSQL keep the statement and,
 * after its first runs, its generic plan. It runs as `query()` does, in PGlite's exclusive
 * sections (never inside another caller's transaction), and syncs to the file system after
 * each statement. Parameters go as text, as `pg` sends them; values come back through
 * PGlite's own type parsers.
 */
export async function createPreparedQuery(pglite: PGlite): Promise<PreparedQuery> {
  const { protocol } = await import('@electric-sql/pglite');
  const { serialize } = protocol;
  const prepared = new Set<string>();
  const exclusive = <T>(work: () => Promise<T>) =>
    pglite._runExclusiveTransaction(() => pglite.runExclusive(work));

  return (name, sql, parameters) =>
    exclusive(async () => {
      if (!prepared.has(name)) {
        // On its own, so that a failure to bind or run later leaves it known as prepared.
        await pglite.execProtocol(concat([serialize.parse({ name, text: sql }), serialize.sync()]));
        prepared.add(name);
      }
      const messages = [
        serialize.bind({
          statement: name,
          values: parameters.map((value) => (value === null ? null : String(value))),
        }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ];
      const { messages: results } = await pglite.execProtocol(concat(messages));
      return readRows(pglite, results);
    });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}

type Results = Awaited<ReturnType<PGlite['execProtocol']>>['messages'];

function readRows<Row extends SqlRow>(pglite: PGlite, results: Results): Row[] {
  let fields: { name: string; dataTypeID: number }[] = [];
  const rows: Row[] = [];
  for (const message of results) {
    if (message.name === 'rowDescription') {
      fields = (message as unknown as { fields: typeof fields }).fields;
    } else if (message.name === 'dataRow') {
      const values = (message as unknown as { fields: (string | null)[] }).fields;
      const row: SqlRow = {};
      fields.forEach((field, index) => {
        const value = values[index] ?? null;
        const parse = pglite.parsers[field.dataTypeID];
        row[field.name] = value === null || !parse ? value : parse(value, field.dataTypeID);
      });
      rows.push(row as Row);
    }
  }
  return rows;
}
