import { DAILY_DURATION_TOTALS, DAILY_DURATIONS } from './daily-durations.js';
import { DAILY_ERRORS } from './daily-errors.js';
import { DAILY_FEATURES } from './daily-features.js';
import { DAILY_FLOW_TOTALS, DAILY_FLOWS } from './daily-flows.js';
import { DAILY_MOUNTS } from './daily-mounts.js';
import { DAILY_PAGES } from './daily-pages.js';
import { DAILY_SESSIONS } from './daily-sessions.js';
import { DAILY_SUBJECTS } from './daily-subjects.js';
import { DAILY_VITAL_TOTALS, DAILY_VITALS } from './daily-vitals.js';
import type { RollupTable } from './rollup-table.js';

/**
 * Every rollup, in the one order ingest upserts them and a rebuild locks them, so two
 * statements never wait on each other's tables crosswise. Migrations 4 and 5 create them and
 * fill them from these definitions (8 the totals): a change to a table's columns needs a
 * migration of its own.
 */
export const ROLLUP_TABLES: readonly RollupTable[] = [
  DAILY_SUBJECTS,
  DAILY_SESSIONS,
  DAILY_PAGES,
  DAILY_FEATURES,
  DAILY_MOUNTS,
  DAILY_ERRORS,
  DAILY_FLOWS,
  DAILY_DURATIONS,
  DAILY_VITALS,
  DAILY_FLOW_TOTALS,
  DAILY_DURATION_TOTALS,
  DAILY_VITAL_TOTALS,
];
