/** How often a source looks for a consent manager's API that is not on the page yet. */
const CHECK_EVERY_MS = 50;

/**
 * Calls `found` with `window[name]` once it is a function: now, or at a later check, for up to
 * `timeoutMs` (CMPs are often loaded asynchronously, and their stub may be missing). Returns
 * the function that stops looking.
 */
export function whenFunction<Api extends (...args: never[]) => unknown>(
  name: string,
  timeoutMs: number,
  found: (api: Api) => void,
): () => void {
  const startedAt = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const look = () => {
    timer = undefined;
    const api = (window as unknown as Record<string, unknown>)[name];
    if (typeof api === 'function') return found(api as Api);
    if (Date.now() - startedAt < timeoutMs) timer = setTimeout(look, CHECK_EVERY_MS);
  };
  look();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
  };
}
