import type { CollectorStats } from './collector-stats.js';
import { type Html, html } from './html.js';

/** The range as typed into the form (`YYYY-MM-DD`), `to` inclusive. */
export interface FilterFormOptions {
  fromDay: string;
  toDay: string;
}

/**
 * The dashboard's filters: a plain GET form (the page has no script), so the range and the
 * app and library choices travel together in the URL and a filtered view can be bookmarked.
 * The choices are what the range holds; a filter given in the URL that the range does not hold
 * is offered too, so the form always shows what is applied.
 */
export function filterForm(stats: CollectorStats, options: FilterFormOptions): Html {
  return html`<form class="filters" method="get" action="/">
      <label>From <input type="date" name="from" value="${options.fromDay}"></label>
      <label>To <input type="date" name="to" value="${options.toDay}"></label>
      <label>App ${choice('service', 'All apps', stats.seen.services, stats.filters.service)}</label>
      <label>Library ${choice('library', 'All libraries', stats.seen.libraries, stats.filters.library)}</label>
      <button type="submit">Apply</button>
    </form>`;
}

/** What a filtered view counts, said once above the panels. Nothing when no filter is on. */
export function filterNote(stats: CollectorStats): Html | '' {
  const { service, library } = stats.filters;
  if (service === null && library === null) return '';
  return html`<p class="scope" data-filters>Showing ${service === null ? 'every app' : html`app <b>${service}</b>`}
    and ${library === null ? 'every library' : html`library <b>${library}</b>`}.
    ${
      library === null
        ? ''
        : html`Component panels show its components; the others count the installs that mounted one
          of them. Losses on devices are counted per app only.`
    }</p>`;
}

function choice(name: string, all: string, seen: string[], selected: string | null): Html {
  const values = selected === null || seen.includes(selected) ? seen : [selected, ...seen];
  return html`<select name="${name}"><option value="">${all}</option>${values.map(
    (value) =>
      html`<option value="${value}"${value === selected ? html` selected` : ''}>${value}</option>`,
  )}</select>`;
}
