import { cohortTable } from './cohort-table.js';
import type { CollectorStats } from './collector-stats.js';
import { filterForm, filterNote } from './dashboard-filters.js';
import { DASHBOARD_STYLES } from './dashboard-styles.js';
import { type CsvLink, count, table } from './dashboard-table.js';
import { flowPanel } from './flow-panel.js';
import { formatDuration } from './format-duration.js';
import { type Html, html } from './html.js';
import { libraryPanels } from './library-panels.js';
import { manifestPanel } from './manifest-panel.js';
import {
  componentsTable,
  deviceDropsTable,
  errorsTable,
  featuresTable,
  pagesTable,
  webVitalsTable,
} from './overview-tables.js';
import { barChart } from './svg-charts.js';
import { tableCsvHref } from './table-csv-href.js';

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
  const link: CsvLink = (spec) => tableCsvHref(spec, options, stats.filters);
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
      ${table(componentsTable(stats), link)}
    </section>

    ${libraryPanels(stats, link)}

    ${manifestPanel(stats, link)}

    <div class="grid2">
      <section><h2>Features</h2>
        ${table(featuresTable(stats), link)}
      </section>
      <section><h2>Pages</h2>
        ${table(pagesTable(stats), link)}
      </section>
    </div>

    <div class="grid2">
      <section><h2>Weekly active installs</h2>
        ${barChart({ title: 'Weekly active installs', points: stats.weekly_active.map((w) => ({ label: w.week, value: w.installs })) })}
      </section>
      <section><h2>Weekly return cohorts</h2>
        ${cohortTable(stats, link)}
      </section>
    </div>

    ${flowPanel(stats, link)}

    <section><h2>Errors <small>grouped by error hash</small></h2>
      ${table(errorsTable(stats), link)}
    </section>

    <div class="grid2">
      <section><h2>Web vitals <small>p75 per page</small></h2>
        ${table(webVitalsTable(stats), link)}
      </section>
      <section><h2>Lost on devices <small>reported in batches</small></h2>
        ${table(deviceDropsTable(stats), link)}
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
