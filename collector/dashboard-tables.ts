import { cohortsTable } from './cohort-table.js';
import type { CollectorStats } from './collector-stats.js';
import type { TableSpec } from './dashboard-table.js';
import { flowsTable } from './flow-panel.js';
import { componentServicesTable, libraryVersionsTable } from './library-panels.js';
import { deprecatedInUseTable, propCoverageTable } from './manifest-panel.js';
import {
  componentsTable,
  deviceDropsTable,
  errorsTable,
  featuresTable,
  pagesTable,
  webVitalsTable,
} from './overview-tables.js';

type Find = (stats: CollectorStats, of: string | undefined) => TableSpec<unknown> | undefined;

const TABLES: Readonly<Record<string, Find>> = {
  components: componentsTable,
  'component-services': componentServicesTable,
  'library-versions': (stats, of) =>
    of === undefined ? undefined : libraryVersionsTable(stats, of),
  'deprecated-in-use': (stats) => stats.manifest && deprecatedInUseTable(stats.manifest),
  'prop-coverage': (stats) => stats.manifest && propCoverageTable(stats.manifest),
  features: featuresTable,
  pages: pagesTable,
  cohorts: cohortsTable,
  flows: flowsTable,
  errors: errorsTable,
  'web-vitals': webVitalsTable,
  'device-drops': deviceDropsTable,
};

/** The names of the dashboard's tables, as in their `data-table` and CSV links. */
export const DASHBOARD_TABLE_NAMES: readonly string[] = Object.keys(TABLES);

/** Whether `name` names a dashboard table. */
export const isDashboardTable = (name: string): boolean => Object.hasOwn(TABLES, name);

/**
 * The dashboard table `name` as the page draws it from `stats`, or `undefined` when the page has
 * no such table: the manifest's tables without a manifest, or `library-versions` for a library
 * (`of`) with no row in the range.
 */
export function dashboardTable(
  stats: CollectorStats,
  name: string,
  of: string | undefined,
): TableSpec<unknown> | undefined {
  return Object.hasOwn(TABLES, name) ? TABLES[name]?.(stats, of) : undefined;
}
