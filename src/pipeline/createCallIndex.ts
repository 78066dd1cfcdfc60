import type { ComponentInfo } from '../types.js';

/** Keys a step compares one by one before it also keeps a Map: most props have few values. */
const SCANNED_KEYS = 8;

/** One step of a call's path: after a name, library, version, prop name or prop value. */
interface CallStep<Entry> {
  entry: Entry | undefined;
  keys: unknown[];
  next: CallStep<Entry>[];
  more: Map<unknown, CallStep<Entry>> | undefined;
}

const newStep = <Entry>(): CallStep<Entry> => ({
  entry: undefined,
  keys: [],
  next: [],
  more: undefined,
});

/**
 * Finds a call's count by the call as made, without building a key string: a path through the
 * name, library, version and each primitive prop's name and value, in the order the props were
 * written. A step compares its first few keys with `===` (a variant prop has a handful of
 * values; a scan of them is about twice as fast as a Map lookup) and keeps a Map for the rest.
 * `'1'`, `1` and `true` stay apart; props in another order take another path to the same count.
 * `find` returns undefined when the props cannot be read plainly (a Proxy, a getter that
 * throws) or the index is full: such a mount is cleaned and counted, just not remembered.
 */
export function createCallIndex<Entry>(maxSteps: number) {
  const root = newStep<Entry>();
  let steps = 0;
  const step = (from: CallStep<Entry>, key: unknown): CallStep<Entry> | undefined => {
    const keys = from.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return from.next[i];
    const found = from.more?.get(key);
    if (found !== undefined || steps >= maxSteps) return found;
    steps++;
    const to = newStep<Entry>();
    if (keys.length < SCANNED_KEYS) {
      keys.push(key);
      from.next.push(to);
    } else {
      if (from.more === undefined) from.more = new Map();
      from.more.set(key, to);
    }
    return to;
  };
  // The last call's name, library and version and where they lead: a page mounts runs of the
  // same component, so most calls skip the first three steps.
  let lastName: string | undefined;
  let lastLibrary: unknown;
  let lastVersion: unknown;
  let lastPrefix: CallStep<Entry> | undefined;
  return {
    find(
      name: string,
      props: unknown,
      info: ComponentInfo | undefined,
    ): CallStep<Entry> | undefined {
      try {
        const library = info?.library;
        const version = info?.version;
        let at = lastPrefix;
        if (!at || name !== lastName || library !== lastLibrary || version !== lastVersion) {
          at = step(root, name);
          // Anything but a string is recorded as '' (see add): one step for all of them.
          if (at) at = step(at, typeof library === 'string' ? library : undefined);
          if (at) at = step(at, typeof version === 'string' ? version : undefined);
          lastName = name;
          lastLibrary = library;
          lastVersion = version;
          lastPrefix = at;
        }
        if (!at || !props || typeof props !== 'object') return at;
        // for...in reads a plain object's keys without copying them. It also yields inherited
        // enumerable keys, which primitiveProps ignores: they only make the path longer.
        for (const prop in props) {
          if (prop === 'children') continue;
          const value = (props as Record<string, unknown>)[prop];
          const type = typeof value;
          // The values primitiveProps keeps; NaN is dropped there and would never equal itself.
          if (
            type === 'number'
              ? !Number.isFinite(value)
              : type !== 'string' && type !== 'boolean' && value !== null
          )
            continue;
          at = step(at, prop);
          if (at) at = step(at, value);
          if (!at) return undefined;
        }
        return at;
      } catch {
        return undefined;
      }
    },
  };
}
