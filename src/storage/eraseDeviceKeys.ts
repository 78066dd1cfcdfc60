import { DEVICE_KEYS, type DeviceKey } from './deviceKeys.js';
import type { KeyValue } from './keyValue.js';

/**
 * What a revoke (`deny()`) and a forget delete: every key but the decision itself, which a
 * revoke has just written and a forget leaves standing.
 */
export const ERASED_KEYS: readonly DeviceKey[] = Object.values(DEVICE_KEYS).filter(
  (key) => key !== DEVICE_KEYS.consent,
);

/** Deletes every id and delivery value: `ERASED_KEYS`. */
export function eraseDeviceKeys(kv: Pick<KeyValue, 'remove'>): void {
  for (const key of ERASED_KEYS) kv.remove(key);
}
