const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
/** A collector's Retry-After is honoured up to this long; beyond it we assume a mistake. */
const RETRY_AFTER_MAX_MS = 60 * 60_000;

/** Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), RETRY_AFTER_MAX_MS) : undefined;
}

export interface BackoffOptions {
  /** The deadline, kept where other page loads of this origin can read it (storedRetryAt). */
  retryAt: { get(): number; set(at: number): void };
  now: () => number;
  random: () => number;
}

/**
 * When to try the collector again after a failure: exponential backoff with "full jitter" (AWS
 * Architecture Blog, "Exponential Backoff And Jitter"), which spreads the retries of many
 * clients after an outage, and never sooner than the collector's `Retry-After`.
 */
export function createBackoff({ retryAt, now, random }: BackoffOptions) {
  let attempt = 0;
  return {
    /** A request failed (network, 408, 429, 5xx). */
    failed(retryAfter: string | null | undefined) {
      const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
      attempt = Math.min(attempt + 1, 20);
      const jittered = exponential / 2 + (random() * exponential) / 2;
      const asked = parseRetryAfter(retryAfter, now()) ?? 0;
      retryAt.set(now() + Math.max(jittered, asked));
    },
    /** A 2xx: the collector is back; also what a revoke or a forget does to the state. */
    reset() {
      attempt = 0;
      retryAt.set(0);
    },
    /** True until the deadline: timers wait, an explicit flush or `online` does not. */
    waiting: () => retryAt.get() > now(),
    /**
     * True from a failed attempt until the next 2xx, also after the deadline passed: the
     * collector is not known to be back, so the hide path keeps events instead of beaconing them
     * into an outage (a beacon's answer cannot be read).
     */
    failing: () => retryAt.get() !== 0,
  };
}

export type Backoff = ReturnType<typeof createBackoff>;
