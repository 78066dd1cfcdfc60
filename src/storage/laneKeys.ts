import type { BaseKey, DeviceKey } from './deviceKeys.js';
import type { KeyValue } from './keyValue.js';

/** A destination lane's view of the key-value store: every key becomes `<key>@<lane>`. */
export function laneKeys(kv: KeyValue, lane: string): KeyValue {
  const at = (key: DeviceKey): DeviceKey => `${key as BaseKey}@${lane}`;
  return {
    get: (key) => kv.get(at(key)),
    set: (key, value) => kv.set(at(key), value),
    remove: (key) => kv.remove(at(key)),
    keyOf: (key) => kv.keyOf(at(key)),
  };
}
