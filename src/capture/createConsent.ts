import type { DebugReporter } from '../lib/debug.js';
import { Message } from '../lib/message.js';
import { parseJson } from '../lib/parseJson.js';
import { DEVICE_KEYS } from '../storage/deviceKeys.js';
import type { KeyValue } from '../storage/keyValue.js';
import type { ConsentController, ConsentOptions, ConsentReceipt, ConsentState } from '../types.js';

/** The consent controller plus what only the client needs: a fresh re-read of the decision. */
export interface ConsentGate extends ConsentController {
  /**
   * Re-reads the stored decision (another tab may have changed it) and notifies on a change.
   * Called where events are accepted, persisted and sent, so a revoke anywhere stops them.
   */
  refresh(): ConsentState;
}

/**
 * GPC (https://privacycg.github.io/gpc-spec/) and the older Do-Not-Track header mirror; some
 * browsers put DNT on `window` instead of `navigator`.
 */
export function browserOptedOut(nav: Navigator | undefined, win: Window | undefined): boolean {
  const n = nav as (Navigator & { globalPrivacyControl?: boolean }) | undefined;
  const w = win as (Window & { doNotTrack?: string }) | undefined;
  return n?.globalPrivacyControl === true || n?.doNotTrack === '1' || w?.doNotTrack === '1';
}

function readReceipt(kv: KeyValue, policyVersion: number): ConsentReceipt | null {
  const value = parseJson(kv.get(DEVICE_KEYS.consent)) as Partial<ConsentReceipt> | undefined;
  if (
    !value ||
    (value.state !== 'granted' && value.state !== 'denied') ||
    value.policy_version !== policyVersion ||
    typeof value.decided_at !== 'string'
  ) {
    // A decision for another policy version is no decision: the user is asked again.
    return null;
  }
  return { ...value, policy_version: policyVersion } as ConsentReceipt;
}

/**
 * The consent gate: the stored decision for `policyVersion` (a receipt in `kv`), else what the
 * options and the browser's opt-out signal (`optedOut`) say.
 */
export function createConsent(
  kv: KeyValue,
  options: ConsentOptions | undefined,
  policyVersion: number,
  optedOut: boolean,
  now: () => number,
  debug: DebugReporter,
): ConsentGate {
  const respectSignal = options?.respectDoNotTrack !== false;
  const fallback: ConsentState =
    respectSignal && optedOut ? 'denied' : (options?.default ?? 'unknown');
  const listeners = new Set<(state: ConsentState) => void>();
  const source = options?.source;
  /** With a consent manager: its latest decision, `unknown` until it answers. */
  let sourced: ConsentState = 'unknown';

  let receipt = readReceipt(kv, policyVersion);
  /**
   * The state: the stored decision (or the default); with a consent manager, the manager's
   * decision, `unknown` until it answers whatever is stored, and `denied` when another tab's
   * manager revoked (the stored receipt says so).
   */
  const current = (): ConsentState =>
    source
      ? sourced === 'unknown' || receipt?.state !== 'denied'
        ? sourced
        : 'denied'
      : (receipt?.state ?? fallback);
  let state: ConsentState = current();

  const settle = (next: ConsentState) => {
    if (next === state) return;
    state = next;
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch {
        // A listener's failure is the host's; the others still hear about the change.
      }
    }
  };

  const decide = (next: 'granted' | 'denied', by?: string, evidence?: string) => {
    receipt = {
      state: next,
      policy_version: policyVersion,
      decided_at: new Date(now()).toISOString(),
    };
    if (by) receipt.source = by;
    if (evidence) receipt.evidence_sha256 = evidence;
    kv.set(DEVICE_KEYS.consent, JSON.stringify(receipt));
    settle(next);
  };
  const sourceName = source && String(source.name ?? 'source');
  // After the client has subscribed (a microtask later): a manager that answers at once, and
  // says denied, must reach the client's revoke, which deletes what an earlier visit stored.
  queueMicrotask(() => {
    try {
      source?.subscribe((decision) => {
        sourced = decision === 'granted' || decision === 'denied' ? decision : 'unknown';
        if (sourced === 'unknown') settle('unknown');
        else decide(sourced, sourceName, source.evidence?.());
      });
    } catch (error) {
      // A consent manager that throws leaves the state unknown.
      debug(Message.ConsentSourceFailed, error);
    }
  });

  return {
    get: () => state,
    source: () => sourceName ?? null,
    grant: () => decide('granted'),
    deny: () => decide('denied'),
    receipt: () => receipt,
    subscribe(listener) {
      if (typeof listener !== 'function') return () => {};
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    refresh() {
      receipt = readReceipt(kv, policyVersion);
      settle(current());
      return state;
    },
  };
}
