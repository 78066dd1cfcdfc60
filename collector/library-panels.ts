import type { CollectorStats, ComponentInService, LibraryWeek } from './collector-stats.js';
import { compareVersions } from './compare-versions.js';
import { type CsvLink, count, num, type TableSpec, table } from './dashboard-table.js';
import { type Html, html } from './html.js';
import { type ChartSeries, SERIES_COLOURS, stackedBarChart } from './svg-charts.js';

/** More libraries than this get a sentence pointing at the library filter, not a chart each. */
const MAX_LIBRARY_CHARTS = 10;
const WEEK_MS = 7 * 86_400_000;

/**
 * The library author's panels: component adoption per app, and per library a stacked weekly
 * chart of installs by version with the share on the newest version in words and a table of
 * the same numbers.
 */
export function libraryPanels(stats: CollectorStats, link: CsvLink): Html {
  return html`<section><h2>Components by app</h2>
      ${table(componentServicesTable(stats), link)}
    </section>
    <section><h2>Version adoption <small>installs per library version, by week</small></h2>
      <p class="note">Each bar stacks the installs on each version; an install that upgraded during
        a week counts under both, so a bar can stand higher than the week's installs.</p>
      ${versionAdoption(stats.library_versions, link)}
    </section>`;
}

/** Component adoption per app. */
export function componentServicesTable(stats: CollectorStats): TableSpec<ComponentInService> {
  return {
    name: 'component-services',
    label: 'components by app',
    rows: stats.component_services,
    empty: 'No component.mount events in this range.',
    columns: [
      {
        heading: 'Component',
        cell: (r) => html`<code>${r.component}</code>`,
        value: (r) => r.component,
      },
      { heading: 'Library', cell: (r) => r.library || '—', value: (r) => r.library },
      { heading: 'Version', cell: (r) => r.version || '—', value: (r) => r.version },
      { heading: 'App', cell: (r) => r.service, value: (r) => r.service },
      { heading: '#Mounts', cell: (r) => num(r.mounts), value: (r) => r.mounts },
      { heading: '#Installs', cell: (r) => num(r.installs), value: (r) => r.installs },
    ],
  };
}

/**
 * One library's installs per version, week by week (the weeks of every library shown, quiet
 * ones as zero), with the share on the newest version; `undefined` for a library with no row. Its CSV is `library-versions.csv?of=<library>`; the share there is a fraction.
 */
export function libraryVersionsTable(
  stats: CollectorStats,
  library: string,
): TableSpec<string> | undefined {
  const rows = stats.library_versions.filter((row) => row.library === library);
  if (rows.length === 0) return undefined;
  // Every library's table has the same weeks: those of all the libraries shown.
  return versionsTable(library, everyWeek(stats.library_versions), rows);
}

function versionsTable(library: string, weeks: string[], rows: LibraryWeek[]): TableSpec<string> {
  const adoption = adoptionOf(rows, weeks);
  const { byWeek, series } = adoption;
  return {
    name: 'library-versions',
    label: `installs of ${library} per version`,
    linkParams: { of: library },
    rows: weeks,
    empty: '',
    columns: [
      { heading: 'Week of', cell: (week) => week, value: (week) => week },
      {
        heading: '#Installs',
        cell: (week) => num(byWeek.get(week)?.installs ?? 0),
        value: (week) => byWeek.get(week)?.installs ?? 0,
      },
      ...series.map((layer) => ({
        heading: `#${layer.name}`,
        cell: (week: string) => num(layer.values[weeks.indexOf(week)] ?? 0),
        value: (week: string) => layer.values[weeks.indexOf(week)] ?? 0,
      })),
      {
        heading: '#On newest',
        cell: (week) => html`<span class="num">${adoption.share(byWeek.get(week))}</span>`,
        value: (week) => adoption.fraction(byWeek.get(week)),
      },
    ],
  };
}

/** A library's weeks by date, its version layers, and the share of installs on the newest. */
function adoptionOf(rows: LibraryWeek[], weeks: string[]) {
  const byWeek = new Map(rows.map((row) => [row.week, row]));
  const versions = [...new Set(rows.flatMap((row) => row.versions.map((v) => v.version)))].sort(
    (a, b) => compareVersions(b, a),
  );
  const series = versionSeries(versions, weeks, byWeek);
  const newest = versions[0] ?? '';
  const onNewest = (row: LibraryWeek | undefined) =>
    row?.versions.find((v) => v.version === newest)?.installs ?? 0;
  const fraction = (row: LibraryWeek | undefined) =>
    row && row.installs > 0 ? onNewest(row) / row.installs : null;
  const share = (row: LibraryWeek | undefined) => {
    const value = fraction(row);
    return value === null ? '—' : `${Math.round(value * 100)}%`;
  };
  return { byWeek, series, newest, onNewest, fraction, share };
}

function versionAdoption(rows: readonly LibraryWeek[], link: CsvLink): Html {
  if (rows.length === 0)
    return html`<p class="empty" data-table="library-versions">No component.mount events with a library in this range.</p>`;
  const weeks = everyWeek(rows);
  const libraries = [...new Set(rows.map((row) => row.library))];
  const more = libraries.length - MAX_LIBRARY_CHARTS;
  return html`${libraries.slice(0, MAX_LIBRARY_CHARTS).map((library) =>
    libraryAdoption(
      library,
      weeks,
      rows.filter((row) => row.library === library),
      link,
    ),
  )}
    ${more > 0 ? html`<p class="empty">${more} more libraries: choose one with the Library filter.</p>` : ''}`;
}

function libraryAdoption(
  library: string,
  weeks: string[],
  rows: LibraryWeek[],
  link: CsvLink,
): Html {
  const { series, newest, onNewest, share } = adoptionOf(rows, weeks);
  const latest = rows.at(-1);

  return html`<div class="adoption" data-library="${library}">
      <h3>${library}</h3>
      <div class="adoption-body">
        <div>${stackedBarChart({
          title: `Installs of ${library} per version, by ISO week (the numbers are in the table below)`,
          labels: weeks,
          series,
        })}</div>
        <p class="share" data-share="${library}"><strong>${share(latest)}</strong>
          of installs were on <code>${newest || 'no version'}</code>, the newest version seen,
          in the week of ${latest?.week ?? ''} (${count(onNewest(latest))} of ${count(latest?.installs ?? 0)}).</p>
      </div>
      <details><summary>Installs per version, week by week</summary>
        ${table(versionsTable(library, weeks, rows), link)}
      </details>
    </div>`;
}

/**
 * One series per version, newest first (stacked at the bottom, where its growth is easiest
 * to read); past the colours there are, the oldest versions share one series.
 */
function versionSeries(
  versions: string[],
  weeks: string[],
  byWeek: Map<string, LibraryWeek>,
): ChartSeries[] {
  const installs = (week: string, version: string) =>
    byWeek.get(week)?.versions.find((v) => v.version === version)?.installs ?? 0;
  const apart = versions.length > SERIES_COLOURS ? SERIES_COLOURS - 1 : versions.length;
  const series = versions.slice(0, apart).map((version) => ({
    name: version || '(no version)',
    values: weeks.map((week) => installs(week, version)),
  }));
  const older = versions.slice(apart);
  if (older.length > 0) {
    series.push({
      name: `${older.length} older versions`,
      values: weeks.map((week) => older.reduce((sum, version) => sum + installs(week, version), 0)),
    });
  }
  return series;
}

/** Every Monday from the first week in `rows` to the last: quiet weeks are shown as zero. */
function everyWeek(rows: readonly LibraryWeek[]): string[] {
  const times = rows.map((row) => Date.parse(`${row.week}T00:00:00Z`));
  const weeks: string[] = [];
  for (let time = Math.min(...times); time <= Math.max(...times); time += WEEK_MS) {
    weeks.push(new Date(time).toISOString().slice(0, 10));
  }
  return weeks;
}
