'use client';
import { type Dispatch, type SetStateAction, useEffect, useRef, useState } from './reactApi.js';
import { useTelemetry } from './useTelemetry.js';

/**
 * A boolean state whose changes are recorded as `feature.toggle` events. The initial value is
 * not an event (nobody toggled anything); setting the value it already has is not one either.
 *
 * @param name - The feature's name, e.g. `'dark-mode'`.
 * @param initial - The value before the user changes it.
 * @returns `[enabled, setEnabled]`, like `useState`.
 *
 * @example
 * const [compact, setCompact] = useFeatureToggle('compact-view', false);
 * <input type="checkbox" checked={compact} onChange={(e) => setCompact(e.target.checked)} />
 */
export function useFeatureToggle(
  name: string,
  initial: boolean,
): [enabled: boolean, setEnabled: Dispatch<SetStateAction<boolean>>] {
  const client = useTelemetry();
  const [enabled, setEnabled] = useState(initial);
  // Recorded from an effect, not inside the setter: updater functions may run twice, and an
  // event must follow a change React actually committed.
  const recorded = useRef(enabled);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a committed change is an event
  useEffect(() => {
    if (recorded.current === enabled) return;
    recorded.current = enabled;
    client.featureToggled(name, enabled);
  }, [enabled]);
  return [enabled, setEnabled];
}
