'use client';
import type { ConsentState } from 'telemetry-kit';
import { useCallback, useSyncExternalStore } from './reactApi.js';
import { useTelemetry } from './useTelemetry.js';

/** What `useConsent` returns. */
export interface ConsentControls {
  /** `'unknown'` until the user decides; `'denied'` also when GPC / Do-Not-Track is on. */
  state: ConsentState;
  /** Records the user's opt-in. Call it only from the user's own action (a click). */
  grant: () => void;
  /** Records an opt-out, or revokes: the queue and ids on this device are deleted. */
  deny: () => void;
}

/** The server cannot know the user's decision: it renders the undecided state. */
const serverConsent = (): ConsentState => 'unknown';

/**
 * The user's consent decision, kept current (also when another tab changes it), and the
 * functions to change it. Renders `'unknown'` on the server and during hydration, so the first
 * client render matches the server's HTML.
 *
 * @example
 * const { state, grant, deny } = useConsent();
 */
export function useConsent(): ConsentControls {
  const client = useTelemetry();
  const { consent } = client;
  const state = useSyncExternalStore(consent.subscribe, consent.get, serverConsent);
  const grant = useCallback(() => consent.grant(), [consent]);
  const deny = useCallback(() => consent.deny(), [consent]);
  return { state, grant, deny };
}
