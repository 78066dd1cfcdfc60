/**
 * Fixed histogram buckets, so percentiles (web vitals' p75, flows' p50 / p95, the median
 * session) come from rollups. Bucket edges grow by 4 %: a positive value `v` falls in bucket
 * `1,000,000 + floor(log_1.04(v))`, a negative one in the negated bucket of `-v`, zero in
 * bucket 0, so bucket order is value order. A bucket stands for its geometric middle, at most
 * √1.04 − 1 ≈ 1.98 % from any value in it; a percentile interpolates between the buckets of the
 * two ranks around it as `percentile_cont` does between the values, so it is within 2 % of the
 * exact one (exact for zero). From 1 ms to an hour that is 390 buckets at most.
 */

/** The ratio of two bucket edges. */
export const BUCKET_RATIO = 1.04;
const OFFSET = 1_000_000;

/** The bucket of the numeric expression `value`. */
export function bucketOf(value: string): string {
  const magnitude = `(${OFFSET} + floor(ln(abs(${value})) / ln(${BUCKET_RATIO})))`;
  return `(CASE WHEN ${value} > 0 THEN ${magnitude} WHEN ${value} < 0 THEN -${magnitude}
    ELSE 0 END)::int`;
}

/** The value a bucket stands for. */
export function bucketValue(bucket: string): string {
  // Bucket 0 is zero itself; the power of its offset would underflow (an error, not 0).
  return `(CASE WHEN ${bucket} = 0 THEN 0 ELSE sign(${bucket})
    * power(${BUCKET_RATIO}::float8, abs(${bucket}) - ${OFFSET} + 0.5) END)::float8`;
}

/**
 * Cumulative counts of a histogram, for `percentileOf`: `source` yields `keys`, `bucket` and
 * `samples`; the result has `upto` (samples up to this bucket) and `total` per key.
 */
export function cumulative(source: string, keys: string): string {
  return `SELECT ${keys}, bucket, samples,
           sum(samples) OVER (PARTITION BY ${keys} ORDER BY bucket) AS upto,
           sum(samples) OVER (PARTITION BY ${keys}) AS total
    FROM (${source}) histogram`;
}

/**
 * The `fraction` percentile (0.75 for p75) of each group of `cumulative` rows, as
 * `percentile_cont` computes it: between the values of 0-based ranks floor(h) and ceil(h),
 * h = fraction × (total − 1). An aggregate: use it with GROUP BY the keys.
 */
export function percentileOf(fraction: number): string {
  const rank = (round: string) => `${round}(${fraction} * (total - 1))`;
  const at = (round: string) =>
    `max(${bucketValue('bucket')}) FILTER (WHERE upto - samples <= ${rank(round)} AND ${rank(round)} < upto)`;
  const position = `(${fraction} * (max(total) - 1))`;
  return `(${at('floor')} + (${position} - floor(${position})) * (${at('ceil')} - ${at('floor')}))`;
}
