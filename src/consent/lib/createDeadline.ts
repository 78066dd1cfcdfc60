/** The default time a manager has to answer at all (any answer, not a decision). */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** A deadline for a manager's first answer: `miss` runs once if none came within `timeoutMs`. */
export function createDeadline(
  timeoutMs: number,
  miss: () => void,
): { answered(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    timer = undefined;
    miss();
  }, timeoutMs);
  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return { answered: cancel, cancel };
}
