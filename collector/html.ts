/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already
 * `Html`: the dashboard shows strings sent by any browser on the internet, so escaping is the
 * default, not something to remember.
 */

/** A fragment of markup that is already safe to insert. */
export interface Html {
  readonly html: string;
}

/** Anything that may be interpolated into `html`. Arrays are joined. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Tagged template: `html\`<td>${userText}</td>\`` escapes `userText`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return { html: out };
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && 'html' in value) return value.html;
  return escapeHtml(String(value));
}
