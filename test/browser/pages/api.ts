import type {
  ConsentState,
  TelemetryClient,
  TelemetryEvent,
  TelemetryOptions,
} from '../../../src/index.js';

/** What a page can observe about the storage the library might have touched. */
export interface StorageSnapshot {
  localStorageKeys: string[];
  cookie: string;
  /** `indexedDB.databases()` names; null when this page has no `indexedDB`. */
  databases: string[] | null;
}

/** The test-facing API of the purpose-made pages, driven through `page.evaluate`. */
export interface Harness {
  /** The options the client was created with (from the `options` query parameter). */
  options: TelemetryOptions;
  /** `tk.pending()` called in the same task that created the client (empty without consent). */
  pendingAtStart: Promise<TelemetryEvent[]>;
  /** Every consent change this tab heard of, with `Date.now()` when it did. */
  consentChanges: Array<{ state: ConsentState; at: number }>;
  /** `track('test.event', { label: `${prefix}${i}` })` for i in [0, count). */
  trackMany(prefix: string, count: number): string[];
  /** Like `trackMany`, each event carrying about `bytes` of plain prose in `metadata.text`. */
  trackLarge(prefix: string, count: number, bytes: number): string[];
  /** Tracks one labelled event every `intervalMs` until `stopTicking()`; returns the labels. */
  startTicking(prefix: string, intervalMs: number): void;
  stopTicking(): string[];
  storage(): Promise<StorageSnapshot>;
  /** Events in the queue database, read directly (not through the client); null when none. */
  storedEventCount(): Promise<number | null>;
}

declare global {
  interface Window {
    tk: TelemetryClient;
    harness: Harness;
  }
}
