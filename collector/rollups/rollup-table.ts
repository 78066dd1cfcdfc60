/**
 * One rollup table: raw events grouped by UTC day, service, install (`anonymous_id`) and the
 * table's own dimensions, with the table's counters. A rollup keyed by install lets a subject
 * deletion delete its rows, keeps distinct installs exact, and lets the library filter
 * (installs that mounted the library) narrow it as it narrows the raw events. Its totals
 * (`totalsOf`) leave the install out, for reads without a library filter.
 */
export interface RollupTable {
  /** The table's name, `telemetry_rollup_daily_<what>`. */
  readonly table: string;
  /** The per-install rollup these are the totals of (summed over installs); else null. */
  readonly totalsOf: RollupTable | null;
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
  /** Adds the rows `select` gives (the table's columns, sorted by its key) to the table. */
  upsertOf(select: string): string;
  /** What the table was defined by. */
  readonly definition: RollupDefinition;
  /**
   * Totals only: their rows summed from the per-install rollup's rows in `source` (its table,
   * or ingest's rows for it) that match `where`, sorted by key.
   */
  fromPerInstall?(source: string, where: string): string;
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
  /** The per-install rollup this one totals, without an install column (see `totalsOf`). */
  totalsOf?: RollupTable;
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
  const perInstall = !definition.totalsOf;
  const keyColumns = [
    'day',
    'service_name',
    ...(perInstall ? ['anonymous_id'] : []),
    ...(hashed ? ['dims_key'] : []),
  ];
  const dimNames = dims.map((dim) => dim.name);
  const valueNames = values.map((value) => value.name);
  const columns = [...keyColumns, ...dimNames, ...valueNames].join(', ');
  const key = keyColumns.join(', ');
  const types = definition.eventTypes
    ? `event_type IN (${definition.eventTypes.map((type) => `'${type}'`).join(', ')})`
    : 'true';
  // Day, service, the install if kept, and the dimensions: the grouped columns' positions.
  const groupBy = Array.from(
    { length: 2 + (perInstall ? 1 : 0) + dims.length },
    (_, index) => index + 1,
  ).join(', ');
  // The events grouped by their dimensions first, then each group's dimensions hashed: md5 per
  // row of the rollup, not per event.
  const grouped = (source: string, where: string) => `
    SELECT ${EVENT_DAY} AS day, service_name, ${perInstall ? 'anonymous_id,' : ''}
           ${[...dims, ...values].map((column) => `${column.sql} AS ${column.name}`).join(',\n           ')}
    FROM ${source} WHERE ${types} AND (${definition.where ?? 'true'}) AND (${where})
    GROUP BY ${groupBy}`;
  const rows = (source: string, where = 'true') =>
    hashed
      ? `
    SELECT day, service_name, ${perInstall ? 'anonymous_id,' : ''}
           md5(json_build_array(${dimNames.join(', ')})::text) AS dims_key,
           ${[...dimNames, ...valueNames].join(', ')}
    FROM (${grouped(source, where)}) AS grouped ORDER BY ${key}`
      : `${grouped(source, where)} ORDER BY ${key}`;
  const merges = values
    .map(
      (value) =>
        `${value.name} = ${value.merge ?? `${table}.${value.name} + excluded.${value.name}`}`,
    )
    .join(',\n      ');
  const totals = definition.totalsOf;
  const upsertOf = (select: string) => `INSERT INTO ${table} (${columns})
    ${select}
    ON CONFLICT (${key}) DO UPDATE SET
      ${merges}`;
  return {
    table,
    definition,
    totalsOf: totals ?? null,
    ...(totals && {
      fromPerInstall: (source: string, where: string) => `
        SELECT day, service_name, ${hashed ? 'dims_key,' : ''} ${[
          ...dimNames,
          ...valueNames.map((name) => `sum(${name})`),
        ].join(', ')}
        FROM ${source} WHERE ${where}
        GROUP BY ${key}, ${dimNames.join(', ')} ORDER BY ${key}`,
    }),
    eventTypes: definition.eventTypes,
    columns,
    key,
    rows,
    upsert: (source) => upsertOf(rows(source)),
    upsertOf,
  };
}

/**
 * The totals of a per-install rollup: the same rows summed over installs (its counters must
 * add up), one row per day, service and dimensions, so reads without a library filter cost
 * what the days and dimensions do rather than what the installs do. Kept at ingest like any
 * rollup; a subject deletion rebuilds the days it touched from the per-install rollup.
 */
export function totalsOf(rollup: RollupTable, table: string): RollupTable {
  return defineRollup({ ...rollup.definition, table, totalsOf: rollup });
}

/** The name of the CTE ingest's statement computes `rollup`'s rows of a batch in. */
export function rowsOf(rollup: RollupTable): string {
  return `${rollup.table.replace('telemetry_rollup_', '')}_rows`;
}
