/** The metrics reported, in `web-vitals` naming. */
export type VitalName = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';

/**
 * Loads `web-vitals` on demand — only once consent is granted and the option is on, so pages
 * that never need it never download it — and reports each final value once.
 */
export async function watchWebVitals(
  report: (metadata: { name: VitalName; value: number; rating: string }) => void,
): Promise<void> {
  const { onLCP, onINP, onCLS, onFCP, onTTFB } = await import('web-vitals');
  const forward = (metric: { name: string; value: number; rating: string }) => {
    // CLS is a unitless score; the others are milliseconds.
    const value =
      metric.name === 'CLS' ? Math.round(metric.value * 10_000) / 10_000 : Math.round(metric.value);
    report({ name: metric.name as VitalName, value, rating: metric.rating });
  };
  for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on(forward);
}
