import type { CollectorStats, PropValue } from './collector-stats.js';
import { type CsvLink, num, type TableSpec, table } from './dashboard-table.js';
import { type Html, html } from './html.js';

const value = (item: PropValue) => (typeof item === 'string' ? item : String(item));

/**
 * What a library's stored manifest says of its use (`stats.manifest`): the components nobody
 * mounts, the deprecated ones still mounted and by which apps, and each listed prop value with
 * how often it was used, the unused ones named. Nothing without a manifest.
 */
export function manifestPanel(stats: CollectorStats, link: CsvLink): Html | '' {
  const report = stats.manifest;
  if (!report) return '';
  return html`<section data-panel="manifest"><h2>Manifest of ${report.library} <small>version ${report.version}</small></h2>
    <div class="grid2">
      <div>
        <h3>Never mounted</h3>
        ${
          report.never_mounted.length
            ? html`<ul class="chips" data-list="never-mounted">${report.never_mounted.map((name) => html`<li><code>${name}</code></li>`)}</ul>`
            : html`<p class="empty">Every component in the manifest was mounted in this range.</p>`
        }
      </div>
      <div>
        <h3>Deprecated, still in use</h3>
        ${table(deprecatedInUseTable(report), link)}
      </div>
    </div>
    <h3>Prop values</h3>
    ${table(propCoverageTable(report), link)}
  </section>`;
}

type Report = NonNullable<CollectorStats['manifest']>;

/** Deprecated components still mounted, by which apps. */
export function deprecatedInUseTable(
  report: Report,
): TableSpec<Report['deprecated_in_use'][number]> {
  return {
    name: 'deprecated-in-use',
    label: 'deprecated components still in use',
    rows: report.deprecated_in_use,
    empty: 'No deprecated component was mounted in this range.',
    columns: [
      {
        heading: 'Component',
        cell: (r) => html`<code>${r.component}</code>`,
        value: (r) => r.component,
      },
      {
        heading: 'Deprecated',
        cell: (r) => deprecation(r.deprecated),
        value: (r) => deprecation(r.deprecated),
      },
      { heading: '#Mounts', cell: (r) => num(r.mounts), value: (r) => r.mounts },
      { heading: '#Installs', cell: (r) => num(r.installs), value: (r) => r.installs },
      { heading: 'Apps', cell: (r) => r.services.join(', '), value: (r) => r.services.join(', ') },
    ],
  };
}

/** Each prop value the manifest lists, with its mounts; the unused ones named. */
export function propCoverageTable(report: Report): TableSpec<Report['prop_coverage'][number]> {
  const used = (row: Report['prop_coverage'][number]) =>
    row.values.filter((item) => item.mounts > 0);
  return {
    name: 'prop-coverage',
    label: 'prop values',
    rows: report.prop_coverage,
    empty: 'The manifest lists no prop values.',
    columns: [
      {
        heading: 'Component',
        cell: (r) => html`<code>${r.component}</code>`,
        value: (r) => r.component,
      },
      { heading: 'Prop', cell: (r) => html`<code>${r.prop}</code>`, value: (r) => r.prop },
      {
        heading: 'Used (mounts)',
        cell: (r) =>
          used(r).length
            ? html`<ul class="variants">${used(r).map(
                (item) =>
                  html`<li><span>${value(item.value)}</span> <b>${Math.round(item.mounts).toLocaleString('en-US')}</b></li>`,
              )}</ul>`
            : '—',
        value: (r) =>
          used(r)
            .map((item) => `${value(item.value)} ${item.mounts}`)
            .join('; '),
      },
      {
        heading: 'Never used',
        cell: (r) => (r.unused.length ? r.unused.map(value).join(', ') : '—'),
        value: (r) => r.unused.map(value).join(', '),
      },
    ],
  };
}

const deprecation = (deprecated: string | true) => (deprecated === true ? 'yes' : deprecated);
