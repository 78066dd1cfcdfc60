import type { Draft } from './capture.js';
import { cut } from './clean.js';
import { newId } from './ids.js';
import type { ComponentInfo, MetadataValue } from './types.js';

/*
 * Counting `component.mount` calls. It is in the delivery engine's chunk: `componentMounted`
 * only logs a call (src/components.ts), and the log is counted here a few milliseconds later,
 * or when "show me the data" asks before consent.
 */

/** Distinct component + props + library combinations counted per flush window. */
const MAX_KEYS = 500;
const MAX_PROPS = 20;
const MAX_PROP_LENGTH = 100;

export type ComponentProps = Record<string, string | number | boolean | null>;

export interface MountCount {
  /** The id the aggregated event will carry. */
  id: string;
  component: string;
  library: string;
  version: string;
  props: ComponentProps;
  count: number;
  /** When the first mount of the window happened. */
  firstAt: number;
}

/**
 * Keeps primitive props only (variants, sizes, flags): never children, functions, objects or
 * anything that could carry user content. Strings are cut here and scrubbed when the event is
 * built (src/finish.ts).
 */
export function primitiveProps(props: unknown): ComponentProps {
  const out: ComponentProps = {};
  if (!props || typeof props !== 'object') return out;
  let kept = 0;
  try {
    for (const key of Object.keys(props).sort()) {
      if (kept >= MAX_PROPS) break;
      if (key === 'children' || key === '__proto__') continue;
      const value = (props as Record<string, unknown>)[key];
      if (typeof value === 'string') out[key] = cut(value, MAX_PROP_LENGTH);
      else if (typeof value === 'boolean' || value === null) out[key] = value;
      else if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
      else continue;
      kept++;
    }
  } catch {
    // A Proxy or getter that throws: keep what was read.
  }
  return out;
}

/**
 * Aggregates `component.mount` calls: mounts of the same component, props and library in one
 * flush window become one event with a `count`, so 10,000 buttons cost one event, not 10,000.
 */
export function createMountCounter(now: () => number) {
  /** By the props as cleaned: what the event says. */
  let counts = new Map<string, MountCount>();
  /**
   * By the call as made: a mount seen before in this window is counted without cleaning its
   * props again (cleaning every mount's props was most of a tracked mount's cost).
   */
  let calls = createCallIndex();
  return {
    /**
     * Returns false when the window already holds too many distinct combinations. `at`: when
     * the mount happened, if not now.
     */
    add(name: string, props: unknown, info: ComponentInfo | undefined, at?: number): boolean {
      const call = calls.find(name, props, info);
      const known = call?.entry;
      if (known) {
        known.count++;
        return true;
      }
      const clean = primitiveProps(props);
      const library = typeof info?.library === 'string' ? cut(info.library, 100) : '';
      const version = typeof info?.version === 'string' ? cut(info.version, 50) : '';
      const key = JSON.stringify([name, library, version, clean]);
      let entry = counts.get(key);
      if (entry) entry.count++;
      else {
        if (counts.size >= MAX_KEYS) return false;
        entry = {
          id: newId(),
          component: name,
          library,
          version,
          props: clean,
          count: 1,
          // The clock is read only for a new combination: a repeated mount costs no Date.now().
          firstAt: at ?? now(),
        };
        counts.set(key, entry);
      }
      if (call) call.entry = entry;
      return true;
    },
    /**
     * Counts what a mount log took (name, props, library, version, name...), all at `at`.
     * Returns how many did not fit (too many distinct combinations).
     */
    addLogged(entries: unknown[], at: number): number {
      let rejected = 0;
      const info: { library?: unknown; version?: unknown } = {};
      for (let i = 0; i < entries.length; i += 4) {
        info.library = entries[i + 2];
        info.version = entries[i + 3];
        if (!this.add(entries[i] as string, entries[i + 1], info as ComponentInfo, at)) rejected++;
      }
      return rejected;
    },
    /** Distinct combinations counted in this window: the events it will become. */
    size: () => counts.size,
    /** Takes the window's counts and starts a new window. */
    drain(): MountCount[] {
      const taken = [...counts.values()];
      counts = new Map();
      calls = createCallIndex();
      return taken;
    },
    peek: (): MountCount[] => [...counts.values()],
    clear() {
      counts = new Map();
      calls = createCallIndex();
    },
  };
}

/** Steps the call index of one window may hold; beyond them a mount is cleaned every time. */
const MAX_CALL_STEPS = MAX_KEYS * 20;
/** Keys a step compares one by one before it also keeps a Map: most props have few values. */
const SCANNED_KEYS = 8;

/** One step of a call's path: after a name, library, version, prop name or prop value. */
interface CallStep {
  entry: MountCount | undefined;
  keys: unknown[];
  next: CallStep[];
  more: Map<unknown, CallStep> | undefined;
}

const newStep = (): CallStep => ({ entry: undefined, keys: [], next: [], more: undefined });

/**
 * Finds a call's count by the call as made, without building a key string: a path through the
 * name, library, version and each primitive prop's name and value, in the order the props were
 * written. A step compares its first few keys with `===` (a variant prop has a handful of
 * values; a scan of them is about twice as fast as a Map lookup) and keeps a Map for the rest.
 * `'1'`, `1` and `true` stay apart; props in another order take another path to the same count.
 * `find` returns undefined when the props cannot be read plainly (a Proxy, a getter that
 * throws) or the index is full: such a mount is cleaned and counted, just not remembered.
 */
function createCallIndex() {
  const root = newStep();
  let steps = 0;
  const step = (from: CallStep, key: unknown): CallStep | undefined => {
    const keys = from.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return from.next[i];
    const found = from.more?.get(key);
    if (found !== undefined || steps >= MAX_CALL_STEPS) return found;
    steps++;
    const to = newStep();
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
  let lastPrefix: CallStep | undefined;
  return {
    find(name: string, props: unknown, info: ComponentInfo | undefined): CallStep | undefined {
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

/** The `component.mount` metadata of one aggregated count. */
export function mountMetadata(mount: MountCount): { [key: string]: MetadataValue } {
  return {
    component: mount.component,
    library: mount.library,
    version: mount.version,
    props: mount.props,
    count: mount.count,
  };
}

/** The aggregated count of a mount window as the draft of its event. */
export const mountDraft = (mount: MountCount): Draft => ({
  id: mount.id,
  type: 'component.mount',
  metadata: mountMetadata(mount),
  at: mount.firstAt,
  path: undefined,
});

export type MountCounter = ReturnType<typeof createMountCounter>;
