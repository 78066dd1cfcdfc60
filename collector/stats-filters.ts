import { LIMITS, looser } from 'telemetry-kit/wire';
import type { StatsFilters } from './collector-stats.js';

/** Filters read from a query string, or why they could not be. */
export type ParsedFilters = { ok: true; filters: StatsFilters } | { ok: false; reason: string };

// As long as ingest lets these fields be: a longer value cannot match anything stored.
const MAX_SERVICE = looser(LIMITS.serviceName);
const MAX_LIBRARY = looser(LIMITS.library);

/**
 * `service` (an app's `service_name`) and `library` (a component library's name), each at most
 * once. Empty means no filter, as the dashboard's "All" choices send it.
 */
export function parseFilters(url: URL): ParsedFilters {
  const service = readFilter(url, 'service', MAX_SERVICE);
  if (!service.ok) return service;
  const library = readFilter(url, 'library', MAX_LIBRARY);
  if (!library.ok) return library;
  return { ok: true, filters: { service: service.value, library: library.value } };
}

function readFilter(
  url: URL,
  name: string,
  maxLength: number,
): { ok: true; value: string | undefined } | { ok: false; reason: string } {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) return { ok: false, reason: `give \`${name}\` at most once` };
  const value = values[0] || undefined;
  if (value === undefined) return { ok: true, value };
  if (value.length > maxLength)
    return { ok: false, reason: `\`${name}\` is at most ${maxLength} characters` };
  // PostgreSQL text cannot hold U+0000, so nothing stored has it and the query would fail.
  if (value.includes('\u0000')) return { ok: false, reason: `\`${name}\` must not contain U+0000` };
  return { ok: true, value };
}
