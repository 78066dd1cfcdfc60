/**
 * The Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): a few lines
 * per metric family, written here rather than pulled in with a client library the collector
 * would then have to bundle.
 */

/** `Content-Type` of a text exposition, as Prometheus asks for it. */
export const PROMETHEUS_TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One line of a family: `name` is the family's name plus `suffix` (`_bucket`, `_sum`, ...). */
export interface MetricSample {
  suffix?: string;
  labels?: Readonly<Record<string, string>>;
  value: number;
}

/** A metric family: its `# HELP` and `# TYPE` lines and its samples. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: readonly MetricSample[];
}

/**
 * Writes `families` in the text format, each family's samples together under its `# HELP` and
 * `# TYPE` lines, as the format requires.
 *
 * @param families - Families with distinct names; label names must match `[a-zA-Z_]\w*`.
 * @returns The exposition, ending with a line feed.
 */
export function renderPrometheusText(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      lines.push(
        `${family.name}${sample.suffix ?? ''}${renderLabels(sample.labels)} ${renderValue(sample.value)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function renderLabels(labels: Readonly<Record<string, string>> | undefined): string {
  if (labels === undefined) return '';
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

// The format's own spellings of the non-finite values; Go's ParseFloat reads them back.
function renderValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** Label values escape backslash, double quote and line feed. */
function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (character) => (character === '\n' ? '\\n' : `\\${character}`));
}

/** Help text escapes backslash and line feed (a double quote is literal there). */
function escapeHelp(help: string): string {
  return help.replace(/[\\\n]/g, (character) => (character === '\n' ? '\\n' : '\\\\'));
}
