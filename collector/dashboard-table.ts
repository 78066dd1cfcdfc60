import { type Html, html } from './html.js';

/** A count as the dashboard shows it: rounded, with thousands separators. */
export const count = (value: number): string => Math.round(value).toLocaleString('en-US');

/** A right-aligned count for a table cell. */
export function num(value: number): Html {
  return html`<span class="num">${count(value)}</span>`;
}

/**
 * A table named `name` (its `data-table`), or the `empty` sentence when there are no rows.
 * Headings starting with `#` are numeric columns, right-aligned like their figures; a heading
 * given as `Html` is used as it is (for one read out but not shown).
 */
export function table(
  name: string,
  headings: (string | Html)[],
  rows: (Html | string)[][],
  empty: string,
): Html {
  if (rows.length === 0) return html`<p class="empty" data-table="${name}">${empty}</p>`;
  const heading = (h: string | Html) => {
    if (typeof h !== 'string') return html`<th>${h}</th>`;
    return h.startsWith('#') ? html`<th class="num">${h.slice(1)}</th>` : html`<th>${h}</th>`;
  };
  return html`<table data-table="${name}"><thead><tr>${headings.map(heading)}</tr></thead>
    <tbody>${rows.map((cells) => html`<tr>${cells.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>`;
}
