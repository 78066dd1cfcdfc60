import { nanoid } from 'nanoid';
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
  let counts = new Map<string, MountCount>();
  return {
    /** Returns false when the window already holds too many distinct combinations. */
    add(name: string, props: unknown, info: ComponentInfo | undefined, at: number): boolean {
      const clean = primitiveProps(props);
      const library = typeof info?.library === 'string' ? scrubString(info.library, 100) : '';
      const version = typeof info?.version === 'string' ? scrubString(info.version, 50) : '';
      const key = JSON.stringify([name, library, version, clean]);
      const existing = counts.get(key);
      if (existing) {
        existing.count++;
        return true;
      }
      if (counts.size >= MAX_KEYS) return false;
      counts.set(key, {
        id: nanoid(),
        component: name,
        library,
        version,
        props: clean,
        count: 1,
        firstAt: at,
      });
      return true;
    },
    /** Takes the window's counts and starts a new window. */
    drain(): MountCount[] {
      const taken = [...counts.values()];
      counts = new Map();
      return taken;
    },
    peek: (): MountCount[] => [...counts.values()],
    clear() {
      counts = new Map();
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
