import { createTelemetry, type TelemetryOptions } from '../../../src/index.js';
import type { Harness, StorageSnapshot } from './api.js';

/** The database name the client uses with the default `storageKey`. */
const DATABASE = 'telemetry-kit';

/**
 * Options for `createTelemetry`: the page's own endpoint, a short flush interval so scenarios
 * run in seconds, and whatever the test put in the `options` query parameter.
 */
export function optionsFromUrl(): TelemetryOptions {
  const given = new URLSearchParams(location.search).get('options');
  return {
    endpoint: `${location.origin}/v1/events`,
    serviceName: 'browser-suite',
    serviceVersion: '1.0.0',
    flushIntervalMs: 1_000,
    ...(given ? (JSON.parse(given) as Partial<TelemetryOptions>) : {}),
  };
}

async function storage(): Promise<StorageSnapshot> {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key !== null) keys.push(key);
  }
  const factory = window.indexedDB as IDBFactory | undefined;
  const databases = factory
    ? (await factory.databases()).map((info) => info.name ?? '').sort()
    : null;
  return { localStorageKeys: keys.sort(), cookie: document.cookie, databases };
}

async function storedEventCount(): Promise<number | null> {
  const factory = window.indexedDB as IDBFactory | undefined;
  if (!factory) return null;
  const names = (await factory.databases()).map((info) => info.name);
  // Opening a missing database would create it: look before opening.
  if (!names.includes(DATABASE)) return null;
  return new Promise((resolve, reject) => {
    const open = factory.open(DATABASE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      // The queue keeps events in segments, each with a small record of its count.
      if (!db.objectStoreNames.contains('segment_info')) {
        db.close();
        resolve(0);
        return;
      }
      const infos = db.transaction('segment_info').objectStore('segment_info').getAll();
      infos.onsuccess = () => {
        db.close();
        resolve((infos.result as Array<{ count: number }>).reduce((sum, i) => sum + i.count, 0));
      };
      infos.onerror = () => reject(infos.error);
    };
  });
}

/** Creates `window.tk` from the URL's options and `window.harness` around it. */
export function installHarness(extra: Partial<TelemetryOptions> = {}): Harness {
  const options = { ...optionsFromUrl(), ...extra };
  const tk = createTelemetry(options);
  const consentChanges: Harness['consentChanges'] = [];
  tk.consent.subscribe((state) => consentChanges.push({ state, at: Date.now() }));
  let ticker: ReturnType<typeof setInterval> | undefined;
  let ticked: string[] = [];
  const harness: Harness = {
    options,
    // Only with consent: before it, pending() fetches the delivery chunk (it scrubs what it
    // shows), and the consent suite checks that a page merely used fetches nothing.
    pendingAtStart: tk.consent.get() === 'granted' ? tk.pending() : Promise.resolve([]),
    consentChanges,
    trackMany(prefix, count) {
      const labels: string[] = [];
      for (let i = 0; i < count; i++) {
        const label = `${prefix}${i}`;
        tk.track('test.event', { label });
        labels.push(label);
      }
      return labels;
    },
    trackLarge(prefix, count, bytes) {
      // Words, not one long token: a long unbroken string would be scrubbed as a secret.
      const text = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(bytes / 27)).slice(0, bytes);
      const labels: string[] = [];
      for (let i = 0; i < count; i++) {
        const label = `${prefix}${i}`;
        tk.track('test.large', { label, text });
        labels.push(label);
      }
      return labels;
    },
    startTicking(prefix, intervalMs) {
      ticked = [];
      ticker = setInterval(() => {
        const label = `${prefix}${ticked.length}`;
        tk.track('test.event', { label });
        ticked.push(label);
      }, intervalMs);
    },
    stopTicking() {
      clearInterval(ticker);
      return ticked;
    },
    storage,
    storedEventCount,
  };
  window.tk = tk;
  window.harness = harness;
  return harness;
}
