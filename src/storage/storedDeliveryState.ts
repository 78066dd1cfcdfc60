import { parseJson } from '../lib/parseJson.js';
import type { DropCounts, DropReason } from '../wire/event.js';
import { DEVICE_KEYS } from './deviceKeys.js';
import type { KeyValue } from './keyValue.js';

/**
 * The backoff deadline, kept in localStorage (written only with consent) so that the next page
 * load of a site whose collector is down keeps waiting instead of beaconing into the outage.
 */
export function storedRetryAt(kv: KeyValue) {
  let cached: number | undefined;
  return {
    get: () => (cached ??= Number(kv.get(DEVICE_KEYS.retryAt)) || 0),
    set(at: number) {
      if (at === cached) return;
      cached = at;
      if (at) kv.set(DEVICE_KEYS.retryAt, String(at));
      else kv.remove(DEVICE_KEYS.retryAt);
    },
  };
}

/**
 * Unreported drop counts, shared by the tabs of this device. Writes are coalesced: within a
 * task the counts live in memory and reach localStorage once, at its end (a microtask), so a
 * task that drops thousands of events (one that overfills the buffer) parses and writes the
 * stored counts once, not once per event.
 */
export function storedDropCounts(kv: KeyValue, allowed: () => boolean) {
  let unsaved: DropCounts | undefined;
  const save = () => {
    const counts = unsaved;
    unsaved = undefined;
    if (!counts) return;
    // Cleared counts always go; counts are written only while consent stands (a revoke in the
    // same task has deleted the device's data, and a count must not bring a key back).
    if (!Object.keys(counts).length) kv.remove(DEVICE_KEYS.dropped);
    else if (allowed()) kv.set(DEVICE_KEYS.dropped, JSON.stringify(counts));
  };
  return {
    get(): DropCounts {
      if (unsaved) return { ...unsaved };
      const stored = parseJson(kv.get(DEVICE_KEYS.dropped));
      const counts: DropCounts = {};
      if (stored && typeof stored === 'object') {
        for (const [reason, count] of Object.entries(stored)) {
          if (Number.isSafeInteger(count) && count > 0) counts[reason as DropReason] = count;
        }
      }
      return counts;
    },
    set(counts: DropCounts) {
      if (!unsaved) queueMicrotask(save);
      unsaved = { ...counts };
    },
  };
}

/** Most beaconed ids remembered; a page's 64 KiB of beacons holds a few hundred events. */
const BEACONED_LIMIT = 5_000;

/** Event ids by the segment that holds them. */
export type EventsBySegment = Record<string, string[]>;

/**
 * Events a page-hide beacon carried, by segment. The IndexedDB write that follows a beacon
 * often does not commit before the page is torn down, so they also go to localStorage, which is
 * written synchronously; the next flush deletes them before it sends anything.
 */
export function storedBeaconed(kv: KeyValue) {
  const read = (): EventsBySegment => {
    const stored = parseJson(kv.get(DEVICE_KEYS.beaconed));
    const out: EventsBySegment = {};
    if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return out;
    for (const [segment, ids] of Object.entries(stored))
      if (Array.isArray(ids))
        out[segment] = ids.filter((id): id is string => typeof id === 'string');
    return out;
  };
  return {
    add(bySegment: Readonly<EventsBySegment>) {
      const merged = read();
      for (const [segment, ids] of Object.entries(bySegment))
        if (ids.length) merged[segment] = [...(merged[segment] ?? []), ...ids];
      // The oldest segments go first beyond the bound.
      let total = Object.values(merged).reduce((sum, ids) => sum + ids.length, 0);
      for (const segment of Object.keys(merged)) {
        if (total <= BEACONED_LIMIT) break;
        total -= merged[segment]?.length ?? 0;
        delete merged[segment];
      }
      if (Object.keys(merged).length) kv.set(DEVICE_KEYS.beaconed, JSON.stringify(merged));
    },
    take(): EventsBySegment {
      const taken = read();
      if (Object.keys(taken).length) kv.remove(DEVICE_KEYS.beaconed);
      return taken;
    },
  };
}
