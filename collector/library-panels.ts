import type { CollectorStats, LibraryWeek } from './collector-stats.js';
import { compareVersions } from './compare-versions.js';
import { count, num, table } from './dashboard-table.js';
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
export function libraryPanels(stats: CollectorStats): Html {
  return html`<section><h2>Components by app</h2>
      ${table(
        'component-services',
        ['Component', 'Library', 'Version', 'App', '#Mounts', '#Installs'],
        stats.component_services.map((row) => [
          html`<code>${row.component}</code>`,
          row.library || '—',
          row.version || '—',
          row.service,
          num(row.mounts),
          num(row.installs),
        ]),
        'No component.mount events in this range.',
      )}
    </section>
    <section><h2>Version adoption <small>installs per library version, by week</small></h2>
      <p class="note">Each bar stacks the installs on each version; an install that upgraded during
        a week counts under both, so a bar can stand higher than the week's installs.</p>
      ${versionAdoption(stats.library_versions)}
    </section>`;
}

function versionAdoption(rows: readonly LibraryWeek[]): Html {
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
    ),
  )}
    ${more > 0 ? html`<p class="empty">${more} more libraries: choose one with the Library filter.</p>` : ''}`;
}

function libraryAdoption(library: string, weeks: string[], rows: LibraryWeek[]): Html {
  const byWeek = new Map(rows.map((row) => [row.week, row]));
  const versions = [...new Set(rows.flatMap((row) => row.versions.map((v) => v.version)))].sort(
    (a, b) => compareVersions(b, a),
  );
  const series = versionSeries(versions, weeks, byWeek);
  const newest = versions[0] ?? '';
  const onNewest = (row: LibraryWeek | undefined) =>
    row?.versions.find((v) => v.version === newest)?.installs ?? 0;
  const latest = rows.at(-1);
  const share = (row: LibraryWeek | undefined) =>
    row && row.installs > 0 ? `${Math.round((onNewest(row) / row.installs) * 100)}%` : '—';

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
        ${table(
          'library-versions',
          ['Week of', '#Installs', ...series.map((layer) => `#${layer.name}`), '#On newest'],
          weeks.map((week, index) => [
            week,
            num(byWeek.get(week)?.installs ?? 0),
            ...series.map((layer) => num(layer.values[index] ?? 0)),
            html`<span class="num">${share(byWeek.get(week))}</span>`,
          ]),
          '',
        )}
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
