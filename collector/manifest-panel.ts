import type { CollectorStats, PropValue } from './collector-stats.js';
import { num, table } from './dashboard-table.js';
import { type Html, html } from './html.js';

const value = (item: PropValue) => (typeof item === 'string' ? item : String(item));

/**
 * What a library's stored manifest says of its use (`stats.manifest`): the components nobody
 * mounts, the deprecated ones still mounted and by which apps, and each listed prop value with
 * how often it was used, the unused ones named. Nothing without a manifest.
 */
export function manifestPanel(stats: CollectorStats): Html | '' {
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
        ${table(
          'deprecated-in-use',
          ['Component', 'Deprecated', '#Mounts', '#Installs', 'Apps'],
          report.deprecated_in_use.map((row) => [
            html`<code>${row.component}</code>`,
            row.deprecated === true ? 'yes' : row.deprecated,
            num(row.mounts),
            num(row.installs),
            row.services.join(', '),
          ]),
          'No deprecated component was mounted in this range.',
        )}
      </div>
    </div>
    <h3>Prop values</h3>
    ${table(
      'prop-coverage',
      ['Component', 'Prop', 'Used (mounts)', 'Never used'],
      report.prop_coverage.map((row) => [
        html`<code>${row.component}</code>`,
        html`<code>${row.prop}</code>`,
        row.values.some((item) => item.mounts > 0)
          ? html`<ul class="variants">${row.values
              .filter((item) => item.mounts > 0)
              .map(
                (item) =>
                  html`<li><span>${value(item.value)}</span> <b>${Math.round(item.mounts).toLocaleString('en-US')}</b></li>`,
              )}</ul>`
          : '—',
        row.unused.length ? row.unused.map(value).join(', ') : '—',
      ]),
      'The manifest lists no prop values.',
    )}
  </section>`;
}
