import type { Draft } from '../capture/createInbox.js';
import { watchWebVitals } from '../capture/watchWebVitals.js';
import type { PageHideSender } from '../delivery/createPageHideSender.js';
import type { DebugReporter } from '../lib/debug.js';

export interface PageLifecycleWatch {
  window: Window;
  document: Document | undefined;
  /** The consent gate, re-read on every hide. */
  allowed: () => boolean;
  /** Turns what is still in memory (drafts, mount counts) into queued events. */
  admitAll: () => void;
  /** The page goes away: end the open flows as `abandoned` (after `admitAll`). */
  abandonFlows: () => void;
  pageHide: PageHideSender;
  /** The browser is back online: try the collector now. */
  flush: () => void;
  /** Capture web vitals (loads `web-vitals`). */
  webVitals: boolean;
  onVital: (draft: Draft) => void;
  currentPath: () => string;
  now: () => number;
  debug: DebugReporter;
}

/**
 * What the engine listens to once there is something to deliver: the page hiding or going away
 * (the beacon), being shown again, the network coming back, and web vitals. Returns the
 * uninstaller.
 */
export function watchPageLifecycle(watch: PageLifecycleWatch): () => void {
  const { window: win, pageHide } = watch;
  const cleanups: Array<() => void> = [];
  const on = (type: string, handler: (event: Event) => void) => {
    win.addEventListener(type, handler);
    cleanups.push(() => win.removeEventListener(type, handler));
  };
  const onLifecycle = (event: Event) => {
    const visible = watch.document?.visibilityState === 'visible';
    if (event.type === 'pageshow' || (event.type === 'visibilitychange' && visible))
      pageHide.shown();
    else if (watch.allowed()) {
      watch.admitAll();
      // Going away (not just hidden): the flows still open end now, and go with the beacon.
      if (event.type === 'pagehide') watch.abandonFlows();
      pageHide.hidden(event.type === 'pagehide' && visible);
    }
  };
  on('online', () => watch.flush());
  for (const type of ['visibilitychange', 'pagehide', 'pageshow']) on(type, onLifecycle);
  if (watch.webVitals)
    watchWebVitals((metric) => {
      const path = watch.currentPath();
      watch.onVital({ type: 'web_vital', metadata: { ...metric, path }, at: watch.now(), path });
    }).catch((error) => watch.debug('web-vitals could not be loaded', error));
  return () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
}
