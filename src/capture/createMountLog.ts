import type { ComponentInfo } from '../types.js';

/** Mounts a log holds until they are counted; about 1 MB of references at most. */
const LOG_LIMIT = 20_000;

/** Mounts as logged: name, props, library, version, name… and when the first happened. */
export interface LoggedMounts {
  entries: unknown[];
  at: number;
}

/**
 * What `componentMounted` does inside a component's effect: it logs the call, four references
 * (the info object's strings, not the object: it is usually a literal made on every render),
 * and nothing else. The log is counted in a later task by the delivery engine (pipeline/createMountCounter.ts,
 * loaded once consent is granted), so a commit of 10,000 tracked components pays for 10,000
 * array pushes, and the counting code is not in the chunk every page loads. Before consent the
 * log waits, bounded; a revoke clears it.
 */
export function createMountLog(now: () => number) {
  /** name, props, library, version, name, props, library, version... */
  let entries: unknown[] = [];
  /** When the first mount of the log happened: the time its counts carry. */
  let at = 0;
  return {
    /** 0: the log is full, the mount is not counted; 1: the first of the log; 2: logged. */
    add(name: string, props: unknown, info: ComponentInfo | undefined): 0 | 1 | 2 {
      const length = entries.length;
      if (length >= LOG_LIMIT * 4) return 0;
      if (length === 0) at = now();
      entries.push(name, props, info?.library, info?.version);
      return length === 0 ? 1 : 2;
    },
    /** Takes what is logged, for counting. */
    take(): LoggedMounts {
      const taken = { entries, at };
      entries = [];
      return taken;
    },
    /** Mounts logged and not counted yet. */
    size: () => entries.length / 4,
    discard() {
      entries = [];
    },
  };
}
