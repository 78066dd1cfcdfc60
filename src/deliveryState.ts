import type { DropCounts } from './delivery.js';
import { type KeyValue, parseJson } from './keyValue.js';
import type { DropReason } from './types.js';

/**
 * The backoff deadline, kept in localStorage (written only with consent) so that the next page
 * load of a site whose collector is down keeps waiting instead of beaconing into the outage.
 */
export function storedRetryAt(kv: KeyValue) {
  let cached: number | undefined;
  return {
    get: () => (cached ??= Number(kv.get('retry_at')) || 0),
    set(at: number) {
      if (at === cached) return;
      cached = at;
      if (at) kv.set('retry_at', String(at));
      else kv.remove('retry_at');
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
    if (!Object.keys(counts).length) kv.remove('dropped');
    else if (allowed()) kv.set('dropped', JSON.stringify(counts));
  };
  return {
    get(): DropCounts {
      if (unsaved) return { ...unsaved };
      const stored = parseJson(kv.get('dropped'));
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

/**
 * Ids of events a page-hide beacon carried. The IndexedDB delete that follows a beacon often
 * does not commit before the page is torn down, so the ids also go to localStorage, which is
 * written synchronously; the next flush deletes them before it sends anything.
 */
export function storedBeaconed(kv: KeyValue) {
  const read = (): string[] => {
    const stored = parseJson(kv.get('beaconed'));
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  };
  return {
    add(ids: readonly string[]) {
      if (ids.length)
        kv.set('beaconed', JSON.stringify([...read(), ...ids].slice(-BEACONED_LIMIT)));
    },
    take(): string[] {
      const ids = read();
      if (ids.length) kv.remove('beaconed');
      return ids;
    },
  };
}
