/** Settings of the per-client token bucket. */
export interface RateLimitOptions {
  /** Requests a client may send at once. Default 120. */
  burst?: number;
  /** Requests per second a client earns back. Default 20. */
  perSecond?: number;
}

/** The outcome of one `take`. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Per-client token buckets; memory is bounded by forgetting full buckets. */
export interface RateLimiter {
  /** Takes one token from `client`'s bucket. */
  take(client: string): RateDecision;
}

/**
 * A token bucket per client key. The default lets one browser flush a busy page every few
 * hundred milliseconds for minutes, far beyond what telemetry-kit sends (one batch per 5 s).
 */
export function createRateLimiter(options: RateLimitOptions, now: () => number): RateLimiter {
  const burst = options.burst ?? 120;
  const perSecond = options.perSecond ?? 20;
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  const maxClients = 50_000;

  const forgetFullBuckets = (time: number) => {
    for (const [client, bucket] of buckets) {
      if (bucket.tokens + ((time - bucket.updatedAt) / 1000) * perSecond >= burst) {
        buckets.delete(client);
      }
    }
  };

  return {
    take(client) {
      const time = now();
      if (buckets.size >= maxClients) forgetFullBuckets(time);
      const bucket = buckets.get(client) ?? { tokens: burst, updatedAt: time };
      bucket.tokens = Math.min(
        burst,
        bucket.tokens + ((time - bucket.updatedAt) / 1000) * perSecond,
      );
      bucket.updatedAt = time;
      buckets.set(client, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)),
      };
    },
  };
}
