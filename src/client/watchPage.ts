import type { ConsentGate } from '../capture/createConsent.js';
import type { ErrorSource } from '../capture/createErrorReporter.js';
import type { Paths } from '../capture/createPaths.js';
import { watchErrors } from '../capture/watchErrors.js';
import { watchHistory } from '../capture/watchHistory.js';
import { DEVICE_KEYS } from '../storage/deviceKeys.js';
import type { KeyValue } from '../storage/keyValue.js';

/**
 * What the client listens to before consent: another tab's decision (the `storage` event
 * carries it here at once), and, where enabled, navigations and uncaught errors. The
 * page-lifecycle listeners belong to the engine: before consent there is nothing to deliver.
 * Returns the uninstaller.
 */
export function watchPage(
  win: Window,
  kv: KeyValue,
  consent: ConsentGate,
  paths: Paths,
  /** Record `page.view` on load and on History API navigation, through `onPage`. */
  onPage: (() => void) | null,
  /** Capture uncaught errors and unhandled rejections, through `onError`. */
  onError: ((error: unknown, source: ErrorSource) => void) | null,
): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === kv.keyOf(DEVICE_KEYS.consent)) consent.refresh();
  };
  win.addEventListener('storage', onStorage);
  const cleanups: Array<() => void> = [
    paths.dispose,
    () => win.removeEventListener('storage', onStorage),
  ];
  if (onPage) {
    let lastPage: string | undefined;
    const onNavigate = () => {
      const path = paths.current();
      if (path === lastPage) return;
      lastPage = path;
      onPage();
    };
    cleanups.push(watchHistory(win, onNavigate));
    queueMicrotask(onNavigate);
  }
  if (onError) cleanups.push(watchErrors(win, onError));
  return () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
}
