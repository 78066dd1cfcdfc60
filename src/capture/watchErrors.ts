import type { ErrorSource } from './createErrorReporter.js';

/** Listens for uncaught errors and unhandled rejections. Returns the uninstaller. */
export function watchErrors(
  win: Window,
  onError: (error: unknown, source: ErrorSource) => void,
): () => void {
  const onWindowError = (event: ErrorEvent) => onError(event.error ?? event.message, 'window');
  const onRejection = (event: PromiseRejectionEvent) => onError(event.reason, 'promise');
  win.addEventListener('error', onWindowError);
  win.addEventListener('unhandledrejection', onRejection);
  return () => {
    win.removeEventListener('error', onWindowError);
    win.removeEventListener('unhandledrejection', onRejection);
  };
}
