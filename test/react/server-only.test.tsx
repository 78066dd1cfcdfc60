// @vitest-environment node
import { renderToString } from 'react-dom/server';
import {
  ConsentDialog,
  PrivacySettings,
  TelemetryErrorBoundary,
  TelemetryProvider,
  useComponentTracking,
  useFeatureToggle,
  usePageView,
} from 'telemetry-kit/react';
import { describe, expect, it } from 'vitest';

function Page() {
  useComponentTracking('Button', { variant: 'primary' });
  usePageView();
  const [enabled] = useFeatureToggle('compact', true);
  return <p>{enabled ? 'compact' : 'roomy'}</p>;
}

describe('on a server with no DOM at all', () => {
  it('imports and renders the whole React surface without touching browser globals', () => {
    expect(typeof window).toBe('undefined');
    const html = renderToString(
      <TelemetryProvider serviceName="ssr" endpoint="https://collector.example.com/v1/events">
        <TelemetryErrorBoundary fallback={<p>error</p>}>
          <Page />
          <PrivacySettings />
        </TelemetryErrorBoundary>
        <ConsentDialog />
      </TelemetryProvider>,
    );
    expect(html).toContain('<p>compact</p>');
    expect(html).toContain('role="switch"');
    expect(html).not.toContain('role="dialog"');
  });
});
