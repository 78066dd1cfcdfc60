/**
 * One rollup table: raw events grouped by UTC day, service, install (`anonymous_id`) and the
 * table's own dimensions, with the table's counters. Every rollup is keyed by install, so a
 * subject deletion deletes its rows, distinct installs stay exact, and the library filter
 * (installs that mounted the library) narrows a rollup as it narrows the raw events.
 */
export interface RollupTable {
  /** The table's name, `telemetry_rollup_daily_<what>`. */
  readonly table: string;
  /** The event types it rolls up; null for every event. */
  readonly eventTypes: readonly string[] | null;
  /** Its columns, in the order `rows` selects them. */
  readonly columns: string;
  /** Its primary key's columns. */
  readonly key: string;
  /** The rollup rows of the events of `source` (raw columns) that match `where`. */
  rows(source: string, where?: string): string;
  /** Adds the rows of `source` to the table, sorted (two writers lock rows in one order). */
  upsert(source: string): string;
}

/** A dimension (raw expression) or a counter (aggregate, and how two rows add up). */
export interface RollupColumn {
  name: string;
  sql: string;
  /** The counter's update on conflict; default `<table>.<name> + excluded.<name>`. */
  merge?: string;
}

/** What `defineRollup` builds a table's SQL from. */
export interface RollupDefinition {
  table: string;
  eventTypes: readonly string[] | null;
  /** A condition on the raw events beyond their type. */
  where?: string;
  /**
   * Dimensions beyond day, service and install. They are keyed by `dims_key`, the md5 of their
   * values, so a long value (a 4,000-character flow name) never exceeds a B-tree entry.
   */
  dims: readonly RollupColumn[];
  values: readonly RollupColumn[];
}

/** The day of an event, as the rollups key it. */
export const EVENT_DAY = "(occurred_at AT TIME ZONE 'UTC')::date";

/** Builds the SQL of the rollup table `definition` describes. */
export function defineRollup(definition: RollupDefinition): RollupTable {
  const { table, dims, values } = definition;
  const hashed = dims.length > 0;
  const keyColumns = ['day', 'service_name', 'anonymous_id', ...(hashed ? ['dims_key'] : [])];
  const dimNames = dims.map((dim) => dim.name);
  const valueNames = values.map((value) => value.name);
  const columns = [...keyColumns, ...dimNames, ...valueNames].join(', ');
  const key = keyColumns.join(', ');
  const types = definition.eventTypes
    ? `event_type IN (${definition.eventTypes.map((type) => `'${type}'`).join(', ')})`
    : 'true';
  const groupBy = Array.from(
    { length: keyColumns.length + dims.length },
    (_, index) => index + 1,
  ).join(', ');
  const dimSql = dims.map((dim) => dim.sql);
  // One level, no subquery: the statement is planned at every batch, so its size counts.
  const rows = (source: string, where = 'true') => `
    SELECT ${EVENT_DAY} AS day, service_name, anonymous_id,
           ${hashed ? `md5(json_build_array(${dimSql.join(', ')})::text) AS dims_key,` : ''}
           ${[...dims, ...values].map((column) => `${column.sql} AS ${column.name}`).join(',\n           ')}
    FROM ${source} WHERE ${types} AND (${definition.where ?? 'true'}) AND (${where})
    GROUP BY ${groupBy} ORDER BY ${key}`;
  const merges = values
    .map(
      (value) =>
        `${value.name} = ${value.merge ?? `${table}.${value.name} + excluded.${value.name}`}`,
    )
    .join(',\n      ');
  return {
    table,
    eventTypes: definition.eventTypes,
    columns,
    key,
    rows,
    upsert: (source) => `INSERT INTO ${table} (${columns})
    ${rows(source)}
    ON CONFLICT (${key}) DO UPDATE SET
      ${merges}`,
  };
}
