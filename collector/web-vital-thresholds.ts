/** Google's rating of a web-vital value. */
export type WebVitalRating = 'good' | 'needs-improvement' | 'poor' | 'unknown';

// The thresholds web.dev publishes and the `web-vitals` library uses (good up to the first
// value, poor above the second): https://web.dev/articles/vitals#core-web-vitals
const THRESHOLDS: Readonly<Record<string, readonly [number, number]>> = {
  LCP: [2500, 4000],
  INP: [200, 500],
  CLS: [0.1, 0.25],
  FCP: [1800, 3000],
  TTFB: [800, 1800],
};

/** Rates a value (usually a p75) of the named metric; `unknown` for a name with no thresholds. */
export function rateWebVital(name: string, value: number): WebVitalRating {
  const thresholds = THRESHOLDS[name];
  if (!thresholds) return 'unknown';
  if (value <= thresholds[0]) return 'good';
  if (value <= thresholds[1]) return 'needs-improvement';
  return 'poor';
}
