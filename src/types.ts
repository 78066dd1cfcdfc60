/**
 * Public types of the browser client. The wire format (`TelemetryEvent`, `TelemetryBatch`,
 * `DropReason`) is in `wire/`, shared with the collector.
 */
import type { DropCounts, TelemetryEvent } from './wire/event.js';

/** Caller-supplied metadata. Anything goes in; it is scrubbed and limited before it is kept. */
export type Metadata = Record<string, unknown>;

/** The user's decision. `unknown` until they answer; `denied` also when GPC / DNT is on. */
export type ConsentState = 'unknown' | 'granted' | 'denied';

/** What a transport reports back about one request. */
export interface TransportResponse {
  /** HTTP status; `0` for a network failure. */
  status: number;
  /** Raw `Retry-After` header value, if any. */
  retryAfter?: string | null;
  /** Parsed JSON body, if any (the collector answers `{ accepted, duplicates, rejected }`). */
  body?: unknown;
}

/**
 * Delivers serialised batches. `createFetchTransport` is the default; pass your own to send
 * elsewhere (one transport per destination).
 */
export interface Transport {
  /** Sends one batch body (JSON text). Must not reject: network failures are `status: 0`. */
  send(body: string, options: { signal?: AbortSignal }): Promise<TransportResponse>;
  /** Queues a body for delivery while the page goes away; `true` when the browser accepted it. */
  beacon?(body: string): boolean;
  /** Asks the collector to delete everything it holds about an anonymous id. */
  deleteSubject?(anonymousId: string): Promise<TransportResponse>;
  /**
   * Asks the collector what it holds about an anonymous id (`GET /v1/subjects/:id`, whose body
   * is a `CollectorCopy`), for `collectorCopy()`.
   */
  getSubject?(anonymousId: string): Promise<TransportResponse>;
}

/**
 * What the app's collector holds about this device's anonymous id (`GET /v1/subjects/:id`):
 * its stored events, oldest first, as the collector's export writes them, and whether there
 * were more than it returns.
 */
export interface CollectorCopy {
  anonymous_id: string;
  events: Array<{ [field: string]: unknown }>;
  truncated: boolean;
}

/** Where queued events live. `none` when the client is inert (no DOM) or consent is denied. */
export type StorageKind = 'indexeddb' | 'memory' | 'none';

/** A snapshot of the client, for diagnostics and privacy UIs. */
export interface TelemetryStatus {
  consent: ConsentState;
  storage: StorageKind;
  /**
   * Events waiting on this device (staged, stored and held before consent). A component mount
   * not yet counted into its `component.mount` event (the engine counts them a few milliseconds
   * after they happen; before consent, when `pending()` asks) counts as one.
   */
  queued: number;
  /** Events lost since this client started, by reason. */
  dropped: DropCounts;
  /** ISO time of the last 2xx delivery by this tab, or null. */
  lastSentAt: string | null;
  /** The last delivery or storage problem, or null once a delivery succeeds. */
  lastError: string | null;
  /**
   * Each configured destination (`TelemetryOptions.destinations`) and its own delivery state.
   * `queued`, `lastSentAt` and `lastError` above are those of the app's own collector.
   */
  destinations: DestinationStatus[];
}

/**
 * Another receiver of some events besides the app's own collector: typically a component
 * library's maintainers, who learn which of their components and variants this app uses. The
 * app owner adds it; the user's one consent decision covers it. Each destination gets its own
 * anonymous and session ids, unlinkable to the app's, and never the page path or user id.
 *
 * @example
 * { name: '@acme/ui maintainers', endpoint: 'https://telemetry.acme.dev/v1/events', libraries: ['@acme/ui'] }
 */
export interface DestinationOptions {
  /** Shown to the user in `ConsentDialog` and `PrivacySettings`; unique among destinations. */
  name: string;
  /** The destination's collector URL for batches. */
  endpoint?: string;
  /** A custom transport; wins over `endpoint`. */
  transport?: Transport;
  /** `component.mount` events of these libraries only (default: of every library). */
  libraries?: readonly string[];
  /** Event types it receives. Default `['component.mount']`. */
  events?: readonly string[];
}

/** A destination as `status()` reports it. */
export interface DestinationStatus {
  name: string;
  /** Event types it receives. */
  events: readonly string[];
  /** The libraries whose `component.mount` events it receives; null for every library. */
  libraries: readonly string[] | null;
  /** Events waiting on this device for this destination. */
  queued: number;
  /** ISO time of its last 2xx delivery by this tab, or null. */
  lastSentAt: string | null;
  /** Its last delivery or storage problem, or null once a delivery succeeds. */
  lastError: string | null;
}

/** What `flush()` achieved. */
export interface FlushResult {
  /** Events acknowledged by the app's collector during this flush (destinations are flushed too). */
  delivered: number;
  /** Events still waiting on this device for the app's collector afterwards. */
  pending: number;
}

/**
 * The user's decision as an existing consent manager reports it (`telemetry-kit/consent` has
 * sources for IAB TCF, GPP, Google Consent Mode, OneTrust, Cookiebot and Usercentrics). With a
 * source its decision is the user's: `unknown` until it answers, and a revoke in the manager
 * stops and deletes like `deny()`.
 */
export interface ConsentSource {
  /**
   * Calls `listener` with the current decision once known, and on every change. Returns its
   * unsubscribe. Must not throw; the client guards it anyway.
   */
  subscribe(listener: (decision: ConsentState) => void): () => void;
  /** The source's name for the consent receipt, e.g. `tcf`. */
  readonly name?: string;
  /**
   * SHA-256 (hex) of the consent string behind the latest decision (the TC or GPP string), for
   * the receipt; never the string itself.
   */
  evidence?(): string | undefined;
}

/** Consent settings. */
export interface ConsentOptions {
  /** State before the user decides. Default `'unknown'` (opt-in). */
  default?: ConsentState;
  /** Bump to ask again: a stored decision for another version counts as `unknown`. Default 1. */
  policyVersion?: number;
  /** Treat `navigator.globalPrivacyControl` / `doNotTrack === '1'` as `denied`. Default true. */
  respectDoNotTrack?: boolean;
  /**
   * The app's consent manager decides (`telemetry-kit/consent`): its decision is the user's,
   * GPC / Do-Not-Track do not override it, and `ConsentDialog` renders nothing.
   */
  source?: ConsentSource;
}

/** A stored decision: the consent receipt. */
export interface ConsentReceipt {
  state: 'granted' | 'denied';
  policy_version: number;
  decided_at: string;
  /** The consent manager that decided (`ConsentSource.name`), when one did. */
  source?: string;
  /** SHA-256 (hex) of its consent string (TC / GPP), when it has one; never the string. */
  evidence_sha256?: string;
}

/** Consent controls of a client. */
export interface ConsentController {
  get(): ConsentState;
  /** Records the user's opt-in. Overrides GPC / Do-Not-Track: call it only from the user's own action. */
  grant(): void;
  /** Records an opt-out (also a revoke): stops every tab, deletes the queue and the ids. */
  deny(): void;
  /** Calls `listener` on every change, in this tab or another. Returns its unsubscribe. */
  subscribe(listener: (state: ConsentState) => void): () => void;
  /** The stored decision, or null while undecided. */
  receipt(): ConsentReceipt | null;
  /**
   * The consent manager that decides (`consent.source`'s name), or null when the user decides
   * in this library's own UI. `ConsentDialog` renders nothing when there is one.
   */
  source(): string | null;
}

/** Automatic capture of uncaught errors and unhandled rejections. */
export interface ErrorCaptureOptions {
  /** Most error events per session (repeats of the same error are counted once). Default 25. */
  maxPerSession?: number;
  /** Include a scrubbed, truncated stack. Default false. */
  includeStack?: boolean;
}

/** Options of `createTelemetry`. Only `serviceName` and one of `endpoint` / `transport` matter. */
export interface TelemetryOptions {
  /** Collector URL for batches, e.g. `https://collector.example.com/v1/events`. */
  endpoint?: string | undefined;
  /** A custom transport; wins over `endpoint`. */
  transport?: Transport | undefined;
  serviceName: string;
  serviceVersion?: string;
  consent?: ConsentOptions;
  /** Milliseconds between periodic flushes. Default 5000. */
  flushIntervalMs?: number;
  /** Events per request; reaching it also triggers a flush. Default 100. */
  maxBatchSize?: number;
  /** Most events kept on the device; the oldest are dropped beyond it. Default 10,000. */
  maxQueueSize?: number;
  /** Events older than this are dropped unsent. Default 7 days. */
  maxEventAgeMs?: number;
  /**
   * Fraction of sessions that send each event type, e.g. `{ 'web_vital': 0.1, default: 1 }`.
   * Decided once per session and type. `error` defaults to 1 unless named.
   */
  sampling?: Record<string, number>;
  /** Capture LCP, INP, CLS, FCP and TTFB (loads `web-vitals` after consent). Default false. */
  webVitals?: boolean;
  /** Capture uncaught errors and unhandled rejections. Default false. */
  captureErrors?: boolean | ErrorCaptureOptions;
  /** Record `page.view` on load and on History API navigation. Default false. */
  pageViews?: boolean;
  /** Edit or drop (return null) each event before it is queued. */
  beforeSend?: (event: TelemetryEvent) => TelemetryEvent | null | undefined | false;
  /** Replaces the built-in path sanitiser (query, fragment and id segments removed). */
  sanitizePath?: (path: string) => string;
  /**
   * Other receivers of some events (at most 5), each with its own queue, backoff and ids. An
   * event leaves the device once every receiver it was routed to has acknowledged it.
   */
  destinations?: readonly DestinationOptions[];
  /** Salt for `identify()` hashes. Default: derived from `serviceName`. */
  hashSalt?: string;
  /** Where to queue events. Default `'indexeddb'`, falling back to memory. */
  storage?: 'indexeddb' | 'memory';
  /** Prefix of localStorage keys and the IndexedDB name. Default `'telemetry-kit'`. */
  storageKey?: string;
  /** `true` logs each distinct problem once with `console.debug`; a function receives them. */
  debug?: boolean | ((message: string, detail?: unknown) => void);
  /** Platform objects, for tests and unusual hosts; each defaults to the global one. */
  environment?: Partial<TelemetryEnvironment>;
}

/** The platform the client runs on. Everything is optional; a missing piece degrades. */
export interface TelemetryEnvironment {
  window: Window | undefined;
  document: Document | undefined;
  navigator: Navigator | undefined;
  localStorage: Storage | undefined;
  indexedDB: IDBFactory | undefined;
  fetch: typeof fetch | undefined;
  now: () => number;
}

/** Where an error was caught, for `captureError`'s third argument (used by error boundaries). */
export interface ErrorInfo {
  /** Default `'manual'`; error boundaries pass `'boundary'`. */
  source?: 'manual' | 'boundary';
  /**
   * React's component stack. Only a hash of it is kept (`component_stack_hash`): component
   * names can describe the user's screen, and stacks are long.
   */
  componentStack?: string;
  /** The flow the error happened in: the error carries its `correlation_id`. */
  flow?: Pick<Flow, 'id'>;
}

/** How a flow ended. `abandoned` is the library's: a flow still open when the page went away. */
export type FlowOutcome = 'success' | 'failure' | 'cancelled' | 'abandoned';

/**
 * A piece of work the user started, from `telemetry.flow(name)`: recorded as `flow.start` now
 * and `flow.end` (with `outcome` and `duration_ms`) when it ends. Both carry `correlation_id`.
 */
export interface Flow {
  /** The flow's `correlation_id`. */
  readonly id: string;
  /**
   * Records `flow.end` with `outcome` and `duration_ms` since `flow()`. A second end, or an
   * outcome that is none of `FlowOutcome`, is dropped with a debug message.
   */
  end(outcome: Exclude<FlowOutcome, 'abandoned'>, metadata?: Metadata): void;
  /** Captures `error` (carrying the flow's `correlation_id`) and ends the flow as `failure`. */
  fail(error: unknown, metadata?: Metadata): void;
}

/** Options of `componentMounted` / `useComponentTracking`. */
export interface ComponentInfo {
  library?: string;
  version?: string;
}

/** The object `createTelemetry` returns. No method throws or returns a rejected promise. */
export interface TelemetryClient {
  /** Records any event. `eventType`: letters, digits, `.`, `_`, `-`, `:`; at most 64 chars. */
  track(eventType: string, metadata?: Metadata): void;
  /** Records `page.view`; the path defaults to the current location. */
  page(path?: string, metadata?: Metadata): void;
  featureToggled(name: string, enabled: boolean): void;
  featureUsed(name: string, metadata?: Metadata): void;
  /** Counts a mount; same component + props + library in one flush window is one event. */
  componentMounted(name: string, props?: Metadata, info?: ComponentInfo): void;
  /** Records an `error` event (`source: 'manual'` unless `info.source` says otherwise). */
  captureError(error: unknown, metadata?: Metadata, info?: ErrorInfo): void;
  /** Attaches a salted SHA-256 of `userId` to later events; the raw id is never stored. */
  identify(userId: string | null): void;
  /**
   * Starts a flow (records `flow.start`): end it with `end(outcome)` or `fail(error)`. One still
   * open when the page goes away ends as `abandoned`. `name`: a non-empty string of at most 128
   * characters.
   */
  flow(name: string, metadata?: Metadata): Flow;
  readonly consent: ConsentController;
  /** Sends what is queued now. */
  flush(): Promise<FlushResult>;
  /** Everything queued on this device about this user, as it would be sent. */
  pending(): Promise<TelemetryEvent[]>;
  status(): TelemetryStatus;
  /** Deletes local data, rotates ids and asks the collector to delete this subject. */
  forget(): Promise<void>;
  /**
   * What the app's collector holds about this device's anonymous id, for the user's right of
   * access ("Download my data"). `null` without consent, when the transport cannot ask
   * (`getSubject`), or when the collector does not answer with it.
   */
  collectorCopy(): Promise<CollectorCopy | null>;
  /** Stops timers and listeners and persists what is staged. The client is inert afterwards. */
  shutdown(): Promise<void>;
  /**
   * Builds an example event exactly as a real one would be built, without recording it (for
   * "show me the data" views); `page.view` gets the current path like `page()`. Resolves null in
   * an inert client, for an invalid event type, or when the library's event-building code (the
   * delivery chunk, fetched on first use) cannot be loaded.
   */
  preview(eventType: string, metadata?: Metadata): Promise<TelemetryEvent | null>;
}
