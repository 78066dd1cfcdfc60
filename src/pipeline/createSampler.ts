import { fnv1a } from '../lib/fnv1a.js';

/**
 * Per-type sampling decided once per session: the same session keeps or drops a type for its
 * whole life (hash of session id and type), so sampled sessions stay complete. `error` is kept
 * at 100 % unless named explicitly. A `flow.end` is decided as its `flow.start`: an end is kept
 * whenever its start was.
 */
export function createSampler(rates: Record<string, number> | undefined) {
  const rateOf = (eventType: string): number => {
    const named = rates?.[eventType];
    const raw = named ?? (eventType === 'error' ? 1 : (rates?.default ?? 1));
    return typeof raw === 'number' && raw >= 0 ? Math.min(raw, 1) : 1;
  };
  /** The event's sampling rate when kept, or 0 when this session drops it. */
  return (type: string, sessionId: string): number => {
    const eventType = type === 'flow.end' ? 'flow.start' : type;
    const rate = rateOf(eventType);
    if (rate >= 1 || rate <= 0) return rate;
    return fnv1a(`${sessionId}\u0000${eventType}`) / 0x1_0000_0000 < rate ? rate : 0;
  };
}
