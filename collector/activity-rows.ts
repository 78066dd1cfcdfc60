import type { CollectorStats, StatsRange } from './collector-stats.js';

/** The activity panels: totals, installs per day and week, return cohorts and sessions. */
export type ActivityStats = Pick<
  CollectorStats,
  'totals' | 'daily_active' | 'weekly_active' | 'cohorts' | 'sessions'
>;

/** What a source of the activity panels reads: the rows `activityPanels` makes them from. */
export interface ActivityRows {
  counts: Omit<CollectorStats['totals'], 'sessions'> | undefined;
  dailyRows: { day: string; installs: number; page_views: number }[];
  weekly_active: CollectorStats['weekly_active'];
  cohortRows: CohortRow[];
  sessions: CollectorStats['sessions'];
}

/** The activity panels of `range` from the rows one source read. */
export function activityPanels(range: StatsRange, rows: ActivityRows): ActivityStats {
  const { counts, sessions } = rows;
  return {
    totals: {
      events: counts?.events ?? 0,
      installs: counts?.installs ?? 0,
      sessions: sessions.count,
      page_views: counts?.page_views ?? 0,
      errors: counts?.errors ?? 0,
      device_drops: counts?.device_drops ?? 0,
    },
    daily_active: fillDays(range, rows.dailyRows),
    weekly_active: rows.weekly_active,
    cohorts: groupCohorts(rows.cohortRows),
    sessions,
  };
}

/** A cell of a cohorts query: of the installs first seen in `week`, those active `offset` weeks on. */
export type CohortRow = { week: string; offset: number; installs: number };

/**
 * Every day of `range`, from the days that have rows: charts read better with quiet days shown
 * as zero rather than skipped.
 */
export function fillDays(
  range: StatsRange,
  rows: { day: string; installs: number; page_views: number }[],
): CollectorStats['daily_active'] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const days: CollectorStats['daily_active'] = [];
  const dayMs = 86_400_000;
  const first = Math.floor(range.from.getTime() / dayMs) * dayMs;
  // A range longer than ~3 years is shown by its active days only.
  if ((range.to.getTime() - first) / dayMs > 1100) return rows;
  for (let time = first; time < range.to.getTime(); time += dayMs) {
    const day = new Date(time).toISOString().slice(0, 10);
    days.push(byDay.get(day) ?? { day, installs: 0, page_views: 0 });
  }
  return days;
}

/** The cohorts' cells as one row per first week, with the weeks no install returned as zero. */
export function groupCohorts(rows: CohortRow[]): CollectorStats['cohorts'] {
  const cohorts = new Map<string, number[]>();
  for (const row of rows) {
    const returning = cohorts.get(row.week) ?? [];
    while (returning.length < row.offset) returning.push(0);
    returning[row.offset] = row.installs;
    cohorts.set(row.week, returning);
  }
  return [...cohorts].map(([week, returning]) => ({
    week,
    installs: returning[0] ?? 0,
    returning,
  }));
}
