import type { ConsentSource, ConsentState } from '../../types.js';
import { sha256Hex } from './sha256Hex.js';

/** Options every source takes: where its problems go. */
export interface SourceOptions {
  /**
   * Told about a problem with the consent manager (it threw, answered something unreadable or
   * did not answer in time), once per distinct problem. The decision stays `unknown` meanwhile.
   */
  onProblem?: (message: string) => void;
  /** Logs those problems with `console.debug` when there is no `onProblem`. Default false. */
  debug?: boolean;
}

/** What a source's watcher reports to the source. */
export interface SourceReport {
  /**
   * The manager's current decision. `consentString` (the TC or GPP string behind it) becomes
   * the evidence, as its SHA-256; the listener hears of a change once the hash is computed.
   */
  decide(decision: ConsentState, consentString?: string): void;
  /** Something is wrong with the manager; reported once per distinct message. */
  problem(message: string): void;
}

/** Starts watching a consent manager; returns the function that stops it. */
export type WatchManager = (report: SourceReport) => () => void;

interface Subscription {
  listener: (decision: ConsentState) => void;
}

/**
 * The part every source shares: one watcher however many subscribers (started by the first,
 * stopped by the last), listeners told only of changes, nothing thrown into the app, and no
 * work without a DOM (server rendering: `subscribe` is a no-op).
 */
export function createConsentSource(
  name: string,
  options: SourceOptions,
  watch: WatchManager,
): ConsentSource {
  const subscriptions = new Set<Subscription>();
  const reported = new Set<string>();
  let decision: ConsentState = 'unknown';
  let evidence: string | undefined;
  let stop: (() => void) | undefined;
  // Bumped when the watcher stops: answers of a stopped watcher are dropped.
  let run = 0;
  // Bumped by every decision: of two hashes under way, only the later one's decision counts.
  let latest = 0;

  const problem = (message: string) => {
    if (reported.has(message)) return;
    reported.add(message);
    const text = `consent source "${name}": ${message}`;
    try {
      if (options.onProblem) options.onProblem(text);
      else if (options.debug) console.debug(`[telemetry-kit] ${text}`);
    } catch {
      // A throwing onProblem must not turn a manager's problem into the app's.
    }
  };

  const publish = (next: ConsentState, nextEvidence: string | undefined) => {
    evidence = nextEvidence;
    if (next === decision) return;
    decision = next;
    for (const subscription of [...subscriptions]) tell(subscription, next);
  };

  const tell = (subscription: Subscription, next: ConsentState) => {
    try {
      subscription.listener(next);
    } catch (error) {
      problem(`a listener threw: ${String(error)}`);
    }
  };

  const start = () => {
    const own = run;
    const report: SourceReport = {
      decide(next, consentString) {
        if (own !== run) return;
        const ticket = ++latest;
        if (!consentString) return publish(next, undefined);
        void sha256Hex(consentString).then((hex) => {
          if (own === run && ticket === latest) publish(next, hex);
        });
      },
      problem(message) {
        if (own === run) problem(message);
      },
    };
    try {
      stop = watch(report);
    } catch (error) {
      problem(`could not start: ${String(error)}`);
      stop = () => {};
    }
  };

  return {
    name,
    evidence: () => evidence,
    subscribe(listener) {
      if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
      const subscription: Subscription = { listener };
      subscriptions.add(subscription);
      if (decision !== 'unknown') tell(subscription, decision);
      if (!stop) start();
      return () => {
        if (!subscriptions.delete(subscription) || subscriptions.size > 0) return;
        run++;
        latest++;
        decision = 'unknown';
        evidence = undefined;
        const stopWatching = stop;
        stop = undefined;
        try {
          stopWatching?.();
        } catch (error) {
          problem(`could not stop: ${String(error)}`);
        }
      };
    },
  };
}
