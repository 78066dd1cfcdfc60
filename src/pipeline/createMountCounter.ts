import { cut } from '../capture/cleanShape.js';
import type { Draft } from '../capture/createInbox.js';
import { newId } from '../lib/newId.js';
import type { ComponentInfo } from '../types.js';
import type { MetadataValue } from '../wire/event.js';
import { FIELD_LIMITS } from '../wire/fieldLimits.js';

import { createCallIndex } from './createCallIndex.js';
import { type ComponentProps, primitiveProps } from './primitiveProps.js';

/*
 * Counting `component.mount` calls. It is in the delivery engine's chunk: `componentMounted`
 * only logs a call (capture/createMountLog.ts), and the log is counted here a few milliseconds later,
 * or when "show me the data" asks before consent.
 */

/** Distinct component + props + library combinations counted per flush window. */
const MAX_KEYS = 500;
/** Steps the call index of one window may hold; beyond them a mount is cleaned every time. */
const MAX_CALL_STEPS = MAX_KEYS * 20;

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
  let calls = createCallIndex<MountCount>(MAX_CALL_STEPS);
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
      const library =
        typeof info?.library === 'string' ? cut(info.library, FIELD_LIMITS.library) : '';
      const version =
        typeof info?.version === 'string' ? cut(info.version, FIELD_LIMITS.version) : '';
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
      calls = createCallIndex<MountCount>(MAX_CALL_STEPS);
      return taken;
    },
    peek: (): MountCount[] => [...counts.values()],
    discard() {
      counts = new Map();
      calls = createCallIndex<MountCount>(MAX_CALL_STEPS);
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
