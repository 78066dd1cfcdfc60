import type { CollectorStats } from './collector-stats.js';
import { type CsvLink, count, csvLink, type TableSpec } from './dashboard-table.js';
import { type Html, html } from './html.js';

type Cohort = CollectorStats['cohorts'][number];

/**
 * Weekly return cohorts as a table: per first week, its installs and the share of them active
 * each later week (`W0` … ); the CSV has the shares as fractions (0 to 1).
 */
export function cohortsTable(stats: CollectorStats): TableSpec<Cohort> {
  const weeks = Math.max(0, ...stats.cohorts.map((c) => c.returning.length));
  const share = (c: Cohort, k: number) => {
    const value = c.returning[k];
    if (value === undefined) return null;
    return c.installs === 0 ? 0 : value / c.installs;
  };
  return {
    name: 'cohorts',
    label: 'weekly return cohorts',
    rows: stats.cohorts,
    empty: 'No activity in this range.',
    columns: [
      { heading: 'First seen (week of)', cell: (c) => c.week, value: (c) => c.week },
      { heading: 'Installs', cell: (c) => count(c.installs), value: (c) => c.installs },
      ...Array.from({ length: weeks }, (_, k) => ({
        heading: `W${k}`,
        cell: (c: Cohort) => {
          const value = share(c, k);
          return value === null ? '' : `${Math.round(value * 100)}%`;
        },
        value: (c: Cohort) => share(c, k),
      })),
    ],
  };
}

/** The cohorts table drawn as a heat map: each share shaded, its count in the cell's title. */
export function cohortTable(stats: CollectorStats, link: CsvLink): Html {
  const spec = cohortsTable(stats);
  if (spec.rows.length === 0) return html`<p class="empty" data-table="cohorts">${spec.empty}</p>`;
  const [first, installs, ...weeks] = spec.columns;
  return html`<table class="cohorts" data-table="cohorts"><thead><tr>${spec.columns.map((c) => html`<th>${c.heading}</th>`)}</tr></thead><tbody>
    ${spec.rows.map(
      (c) =>
        html`<tr><td>${first?.cell(c)}</td><td class="num">${installs?.cell(c)}</td>${weeks.map(
          (column, k) => {
            const share = column.value(c);
            if (typeof share !== 'number') return html`<td></td>`;
            return html`<td class="heat h${Math.round(share * 5)}" title="${count(c.returning[k] ?? 0)} installs">${column.cell(c)}</td>`;
          },
        )}</tr>`,
    )}</tbody></table>
    ${csvLink(spec, link)}`;
}
