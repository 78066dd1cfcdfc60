import { newId } from './ids.js';
import { scrubString } from './scrub.js';
import type { ComponentInfo, MetadataValue } from './types.js';

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
 * anything that could carry user content. Strings are scrubbed and truncated.
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
      if (typeof value === 'string') out[key] = scrubString(value, MAX_PROP_LENGTH);
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
export function createMountCounter() {
  /** By the props as cleaned: what the event says. */
  let counts = new Map<string, MountCount>();
  /**
   * By the call as made: a mount seen before in this window is counted without cleaning its
   * props again (scrubbing every string on every mount was most of a tracked mount's cost).
   */
  let seen = new Map<string, MountCount>();
  return {
    /** Returns false when the window already holds too many distinct combinations. */
    add(name: string, props: unknown, info: ComponentInfo | undefined, at: number): boolean {
      const raw = rawKey(name, props, info);
      const known = raw === null ? undefined : seen.get(raw);
      if (known) {
        known.count++;
        return true;
      }
      const clean = primitiveProps(props);
      const library = typeof info?.library === 'string' ? scrubString(info.library, 100) : '';
      const version = typeof info?.version === 'string' ? scrubString(info.version, 50) : '';
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
          firstAt: at,
        };
        counts.set(key, entry);
      }
      if (raw !== null && seen.size < MAX_KEYS * 4) seen.set(raw, entry);
      return true;
    },
    /** Takes the window's counts and starts a new window. */
    drain(): MountCount[] {
      const taken = [...counts.values()];
      counts = new Map();
      seen = new Map();
      return taken;
    },
    peek: (): MountCount[] => [...counts.values()],
    clear() {
      counts = new Map();
      seen = new Map();
    },
  };
}

/**
 * The call's identity before cleaning: name, library, version and the primitive props, in key
 * order. Null when the props cannot be read plainly (a Proxy, a getter that throws).
 */
function rawKey(name: string, props: unknown, info: ComponentInfo | undefined): string | null {
  let key = `${name}\u0000${info?.library}\u0000${info?.version}`;
  if (!props || typeof props !== 'object') return key;
  try {
    const names = Object.keys(props);
    if (names.length > 1) names.sort();
    for (const prop of names) {
      if (prop === 'children') continue;
      const value = (props as Record<string, unknown>)[prop];
      const type = typeof value;
      if (type === 'string' || type === 'number' || type === 'boolean' || value === null) {
        key += `\u0000${prop}\u0001${type[0]}${String(value)}`;
      }
    }
    return key;
  } catch {
    return null;
  }
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
