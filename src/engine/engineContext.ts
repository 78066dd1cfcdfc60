import type { ConsentGate } from '../capture/createConsent.js';
import type { Inbox } from '../capture/createInbox.js';
import type { DebugReporter } from '../lib/debug.js';
import type { Settings } from '../lib/resolveSettings.js';
import type { KeyValue } from '../storage/keyValue.js';
import type { TelemetryEnvironment, TelemetryOptions } from '../types.js';

/** What the client hands the engine: its options, its platform, its gate and its inbox. */
export interface EngineContext {
  options: TelemetryOptions;
  settings: Settings;
  env: TelemetryEnvironment;
  kv: KeyValue;
  consent: ConsentGate;
  /** Where the client's events wait; the engine takes from it and gives nothing back. */
  inbox: Inbox;
  debug: DebugReporter;
  /** The page's path as events record it. */
  currentPath: () => string;
  /** When the client was created: the consent receipt's time when none is stored. */
  startedAt: string;
}
