import type { CollectorStats, PropValue } from './collector-stats.js';
import { count, num, type TableSpec } from './dashboard-table.js';
import { html } from './html.js';
import { meter } from './svg-charts.js';

type Panels = Pick<
  CollectorStats,
  'components' | 'features' | 'pages' | 'errors' | 'web_vitals' | 'device_drops'
>;
type Row<Key extends keyof Panels> = Panels[Key][number];

/** Component adoption: mounts, installs, top prop variants and apps per component version. */
export function componentsTable(stats: CollectorStats): TableSpec<Row<'components'>> {
  return {
    name: 'components',
    label: 'component adoption',
    rows: stats.components,
    empty: 'No component.mount events in this range.',
    columns: [
      {
        heading: 'Component',
        cell: (c) => html`<code>${c.component}</code>`,
        value: (c) => c.component,
      },
      { heading: 'Library', cell: (c) => c.library || '—', value: (c) => c.library },
      { heading: 'Version', cell: (c) => c.version || '—', value: (c) => c.version },
      { heading: '#Mounts', cell: (c) => num(c.mounts), value: (c) => c.mounts },
      { heading: '#Installs', cell: (c) => num(c.installs), value: (c) => c.installs },
      {
        heading: 'Top variants',
        cell: (c) =>
          html`<ul class="variants">${c.top_variants.map((v) => html`<li><span>${propsLabel(v.props)}</span> <b>${count(v.mounts)}</b></li>`)}</ul>`,
        // The same label and count, one variant after the other.
        value: (c) => c.top_variants.map((v) => `${propsLabel(v.props)} ${v.mounts}`).join('; '),
      },
      { heading: '#Apps', cell: (c) => num(c.services), value: (c) => c.services },
    ],
  };
}

/** Features: toggles, uses and installs per feature. */
export function featuresTable(stats: CollectorStats): TableSpec<Row<'features'>> {
  return {
    name: 'features',
    label: 'features',
    rows: stats.features,
    empty: 'No feature events in this range.',
    columns: [
      { heading: 'Feature', cell: (f) => html`<code>${f.feature}</code>`, value: (f) => f.feature },
      { heading: '#Toggled on', cell: (f) => num(f.toggled_on), value: (f) => f.toggled_on },
      { heading: '#Toggled off', cell: (f) => num(f.toggled_off), value: (f) => f.toggled_off },
      { heading: '#Uses', cell: (f) => num(f.uses), value: (f) => f.uses },
      { heading: '#Installs', cell: (f) => num(f.installs), value: (f) => f.installs },
    ],
  };
}

/** Pages by views, with a meter of each against the most viewed. */
export function pagesTable(stats: CollectorStats): TableSpec<Row<'pages'>> {
  const most = Math.max(1, ...stats.pages.map((page) => page.views));
  return {
    name: 'pages',
    label: 'pages',
    rows: stats.pages,
    empty: 'No page views in this range.',
    columns: [
      { heading: 'Path', cell: (p) => html`<code>${p.path}</code>`, value: (p) => p.path },
      { heading: '#Views', cell: (p) => num(p.views), value: (p) => p.views },
      {
        heading: html`<span class="visually-hidden">Share of the most viewed page</span>`,
        csvHeading: 'Share of the most viewed page',
        cell: (p) => meter(p.views / most),
        value: (p) => p.views / most,
      },
      { heading: '#Installs', cell: (p) => num(p.installs), value: (p) => p.installs },
    ],
  };
}

/** Errors grouped by error hash. */
export function errorsTable(stats: CollectorStats): TableSpec<Row<'errors'>> {
  return {
    name: 'errors',
    label: 'errors',
    rows: stats.errors,
    empty: 'No errors in this range.',
    columns: [
      {
        heading: 'Error',
        cell: (e) => html`<code title="${e.error_hash}">${e.error_class || 'Error'}</code>`,
        value: (e) => e.error_class || 'Error',
      },
      {
        heading: 'Message',
        cell: (e) => html`<span class="message">${e.message}</span>`,
        value: (e) => e.message,
      },
      { heading: 'Source', cell: (e) => e.source, value: (e) => e.source },
      { heading: '#Count', cell: (e) => num(e.count), value: (e) => e.count },
      { heading: '#Installs', cell: (e) => num(e.installs), value: (e) => e.installs },
      {
        heading: 'Last seen',
        cell: (e) => e.last_seen.replace('T', ' ').replace('Z', ' UTC'),
        value: (e) => e.last_seen,
      },
    ],
  };
}

/** Web vitals: p75 per page and metric, rated by the web.dev thresholds. */
export function webVitalsTable(stats: CollectorStats): TableSpec<Row<'web_vitals'>> {
  return {
    name: 'web-vitals',
    label: 'web vitals',
    rows: stats.web_vitals,
    empty: 'No web vitals in this range.',
    columns: [
      { heading: 'Page', cell: (w) => html`<code>${w.path || '—'}</code>`, value: (w) => w.path },
      { heading: 'Metric', cell: (w) => w.name, value: (w) => w.name },
      {
        heading: 'p75',
        cell: (w) => html`<span data-value="${w.p75}">${vitalValue(w.name, w.p75)}</span>`,
        value: (w) => w.p75,
      },
      { heading: '#Samples', cell: (w) => num(w.samples), value: (w) => w.samples },
      {
        heading: 'Rating',
        cell: (w) => html`<span class="rating ${w.rating}">${w.rating.replace('-', ' ')}</span>`,
        value: (w) => w.rating,
      },
    ],
  };
}

/** What devices reported lost, by reason. */
export function deviceDropsTable(stats: CollectorStats): TableSpec<Row<'device_drops'>> {
  return {
    name: 'device-drops',
    label: 'events lost on devices',
    rows: stats.device_drops,
    empty: 'Nothing was reported lost.',
    columns: [
      { heading: 'Reason', cell: (d) => d.reason, value: (d) => d.reason },
      { heading: '#Events', cell: (d) => num(d.count), value: (d) => d.count },
    ],
  };
}

/** A prop combination as `key=value` pairs. */
function propsLabel(props: Record<string, PropValue>): string {
  const entries = Object.entries(props);
  if (entries.length === 0) return '(no props)';
  return entries.map(([key, value]) => `${key}=${String(value)}`).join(' ');
}

/** CLS is a unitless score; the other vitals are milliseconds. */
function vitalValue(name: string, value: number): string {
  return name === 'CLS' ? value.toFixed(3) : `${Math.round(value).toLocaleString('en-US')} ms`;
}
