// @vitest-environment node
import { describe, expect, it } from 'vitest';

describe('on a server', () => {
  it('imports without touching browser globals and gives an inert client', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const { createTelemetry } = await import('telemetry-kit');
    const client = createTelemetry({
      serviceName: 'ssr',
      endpoint: 'http://127.0.0.1:9/v1/events',
      pageViews: true,
      captureErrors: true,
      webVitals: true,
    });
    client.consent.grant();
    client.track('rendered.on.server');
    expect(client.status()).toEqual({
      consent: 'unknown',
      storage: 'none',
      queued: 0,
      dropped: {},
      lastSentAt: null,
      lastError: null,
      destinations: [],
    });
    await expect(client.pending()).resolves.toEqual([]);
    await expect(client.shutdown()).resolves.toBeUndefined();
  });
});
