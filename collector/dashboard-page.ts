import type { CollectorStats, PropValue } from './collector-stats.js';
import { filterForm, filterNote } from './dashboard-filters.js';
import { DASHBOARD_STYLES } from './dashboard-styles.js';
import { count, num, table } from './dashboard-table.js';
import { flowPanel } from './flow-panel.js';
import { formatDuration } from './format-duration.js';
import { type Html, html } from './html.js';
import { libraryPanels } from './library-panels.js';
import { manifestPanel } from './manifest-panel.js';
import { barChart, meter } from './svg-charts.js';

/** What the page needs besides the numbers. */
export interface DashboardPageOptions {
  /** The range as typed into the filter (`YYYY-MM-DD`), `to` inclusive. */
  fromDay: string;
  toDay: string;
  /** Nonce of the page's one `<style>` element (Content-Security-Policy). */
  styleNonce: string;
  /** Whether a sign-out button makes sense (token configured). */
  canSignOut: boolean;
}

/** The dashboard: server-rendered, no script, every user-supplied string escaped by `html`. */
export function renderDashboardPage(stats: CollectorStats, options: DashboardPageOptions): string {
  const t = stats.totals;
  const maxPageViews = Math.max(1, ...stats.pages.map((page) => page.views));
  const body = html`
  <header>
    <h1>telemetry-kit <span>collector</span></h1>
    ${filterForm(stats, options)}
    ${options.canSignOut ? html`<form method="post" action="/sign-out"><button class="quiet" type="submit">Sign out</button></form>` : ''}
  </header>
  <main>
    ${filterNote(stats)}
    <section class="tiles" aria-label="Totals">
      ${tile('Active installs', 'installs', count(t.installs))}
      ${tile('Sessions', 'sessions', count(stats.sessions.count))}
      ${tile('Median session', 'median-session', stats.sessions.median_duration_ms === null ? '—' : formatDuration(stats.sessions.median_duration_ms))}
      ${tile('Page views', 'page-views', count(t.page_views))}
      ${tile('Errors', 'errors', count(t.errors))}
      ${tile('Events stored', 'events', count(t.events))}
      ${tile('Lost on devices', 'device-drops', count(t.device_drops))}
    </section>

    <div class="grid2">
      <section><h2>Active installs per day</h2>
        ${barChart({ title: 'Active installs per day', points: stats.daily_active.map((d) => ({ label: d.day, value: d.installs })) })}
      </section>
      <section><h2>Page views per day</h2>
        ${barChart({ title: 'Page views per day', points: stats.daily_active.map((d) => ({ label: d.day, value: d.page_views })) })}
      </section>
    </div>

    <section><h2>Component adoption</h2>
      ${table(
        'components',
        ['Component', 'Library', 'Version', '#Mounts', '#Installs', 'Top variants', '#Apps'],
        stats.components.map((c) => [
          html`<code>${c.component}</code>`,
          c.library || '—',
          c.version || '—',
          num(c.mounts),
          num(c.installs),
          html`<ul class="variants">${c.top_variants.map((v) => html`<li><span>${propsLabel(v.props)}</span> <b>${count(v.mounts)}</b></li>`)}</ul>`,
          num(c.services),
        ]),
        'No component.mount events in this range.',
      )}
    </section>

    ${libraryPanels(stats)}

    ${manifestPanel(stats)}

    <div class="grid2">
      <section><h2>Features</h2>
        ${table(
          'features',
          ['Feature', '#Toggled on', '#Toggled off', '#Uses', '#Installs'],
          stats.features.map((f) => [
            html`<code>${f.feature}</code>`,
            num(f.toggled_on),
            num(f.toggled_off),
            num(f.uses),
            num(f.installs),
          ]),
          'No feature events in this range.',
        )}
      </section>
      <section><h2>Pages</h2>
        ${table(
          'pages',
          [
            'Path',
            '#Views',
            html`<span class="visually-hidden">Share of the most viewed page</span>`,
            '#Installs',
          ],
          stats.pages.map((p) => [
            html`<code>${p.path}</code>`,
            num(p.views),
            meter(p.views / maxPageViews),
            num(p.installs),
          ]),
          'No page views in this range.',
        )}
      </section>
    </div>

    <div class="grid2">
      <section><h2>Weekly active installs</h2>
        ${barChart({ title: 'Weekly active installs', points: stats.weekly_active.map((w) => ({ label: w.week, value: w.installs })) })}
      </section>
      <section><h2>Weekly return cohorts</h2>
        ${cohortTable(stats.cohorts)}
      </section>
    </div>

    ${flowPanel(stats)}

    <section><h2>Errors <small>grouped by error hash</small></h2>
      ${table(
        'errors',
        ['Error', 'Message', 'Source', '#Count', '#Installs', 'Last seen'],
        stats.errors.map((e) => [
          html`<code title="${e.error_hash}">${e.error_class || 'Error'}</code>`,
          html`<span class="message">${e.message}</span>`,
          e.source,
          num(e.count),
          num(e.installs),
          e.last_seen.replace('T', ' ').replace('Z', ' UTC'),
        ]),
        'No errors in this range.',
      )}
    </section>

    <div class="grid2">
      <section><h2>Web vitals <small>p75 per page</small></h2>
        ${table(
          'web-vitals',
          ['Page', 'Metric', 'p75', '#Samples', 'Rating'],
          stats.web_vitals.map((w) => [
            html`<code>${w.path || '—'}</code>`,
            w.name,
            html`<span data-value="${w.p75}">${vitalValue(w.name, w.p75)}</span>`,
            num(w.samples),
            html`<span class="rating ${w.rating}">${w.rating.replace('-', ' ')}</span>`,
          ]),
          'No web vitals in this range.',
        )}
      </section>
      <section><h2>Lost on devices <small>reported in batches</small></h2>
        ${table(
          'device-drops',
          ['Reason', '#Events'],
          stats.device_drops.map((d) => [d.reason, num(d.count)]),
          'Nothing was reported lost.',
        )}
      </section>
    </div>
    <footer>${options.fromDay} to ${options.toDay} (UTC days). Counts of sampled events are scaled by 1 / sampling rate. Raw numbers: <code>GET /v1/stats</code>.</footer>
  </main>`;
  return page('telemetry-kit dashboard', options.styleNonce, body);
}

/** The sign-in form shown instead of the dashboard until the admin token is given. */
export function renderSignInPage(options: { styleNonce: string; failed: boolean }): string {
  const body = html`<main class="sign-in">
    <h1>telemetry-kit <span>collector</span></h1>
    <form method="post" action="/sign-in">
      <input type="hidden" name="username" autocomplete="username" value="admin">
      <label for="token">Admin token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
      ${options.failed ? html`<p class="error" role="alert">That token is not right.</p>` : ''}
      <button type="submit">Sign in</button>
    </form>
  </main>`;
  return page('Sign in · telemetry-kit', options.styleNonce, body);
}

function page(title: string, nonce: string, body: Html): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style nonce="${nonce}">${{ html: DASHBOARD_STYLES }}</style></head><body>${body}</body></html>`
    .html;
}

function tile(label: string, key: string, value: string): Html {
  return html`<div class="tile"><div class="label">${label}</div><div class="value" data-stat="${key}">${value}</div></div>`;
}

function cohortTable(cohorts: CollectorStats['cohorts']): Html {
  if (cohorts.length === 0)
    return html`<p class="empty" data-table="cohorts">No activity in this range.</p>`;
  const weeks = Math.max(...cohorts.map((c) => c.returning.length));
  const offsets = Array.from({ length: weeks }, (_, k) => k);
  return html`<table class="cohorts" data-table="cohorts"><thead><tr><th>First seen (week of)</th><th>Installs</th>
    ${offsets.map((k) => html`<th>W${k}</th>`)}</tr></thead><tbody>
    ${cohorts.map(
      (c) =>
        html`<tr><td>${c.week}</td><td class="num">${count(c.installs)}</td>${offsets.map((k) => {
          const value = c.returning[k];
          if (value === undefined) return html`<td></td>`;
          const share = c.installs === 0 ? 0 : value / c.installs;
          return html`<td class="heat h${Math.round(share * 5)}" title="${count(value)} installs">${Math.round(share * 100)}%</td>`;
        })}</tr>`,
    )}</tbody></table>`;
}

function propsLabel(props: Record<string, PropValue>): string {
  const entries = Object.entries(props);
  if (entries.length === 0) return '(no props)';
  return entries.map(([key, value]) => `${key}=${String(value)}`).join(' ');
}

/** CLS is a unitless score; the other vitals are milliseconds. */
function vitalValue(name: string, value: number): string {
  return name === 'CLS' ? value.toFixed(3) : `${Math.round(value).toLocaleString('en-US')} ms`;
}
