import { act, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import {
  ConsentDialog,
  PrivacySettings,
  TelemetryErrorBoundary,
  TelemetryProvider,
  useComponentTracking,
  useConsent,
  useFeatureToggle,
  usePageView,
} from 'telemetry-kit/react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUpAfterEach, consoleProblems, nextTask, recordingTelemetry } from './helpers.js';

cleanUpAfterEach();

let root: Root | undefined;
afterEach(async () => {
  await act(async () => root?.unmount());
  root = undefined;
  document.body.innerHTML = '';
});

function Page() {
  useComponentTracking('Button', { variant: 'primary' });
  usePageView('/pricing');
  const [compact, setCompact] = useFeatureToggle('compact', false);
  const { state } = useConsent();
  return (
    <main>
      <p>{`consent: ${state}`}</p>
      <label>
        <input type="checkbox" checked={compact} onChange={(e) => setCompact(e.target.checked)} />
        Compact
      </label>
    </main>
  );
}

function App({
  options,
}: {
  options: ReturnType<typeof recordingTelemetry>['options'];
}): ReactNode {
  return (
    <TelemetryProvider {...options}>
      <TelemetryErrorBoundary fallback={<p>error</p>}>
        <Page />
        <PrivacySettings />
      </TelemetryErrorBoundary>
      <ConsentDialog />
    </TelemetryProvider>
  );
}

/** Renders `App` to HTML as a server would, then hydrates it; returns console problems. */
async function serverRenderThenHydrate(options: ReturnType<typeof recordingTelemetry>['options']) {
  const html = renderToString(<App options={options} />);
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const problems = await consoleProblems(async () => {
    await act(async () => {
      root = hydrateRoot(container, <App options={options} />);
    });
    await act(nextTask);
  });
  return { html, container, problems };
}

describe('server rendering and hydration', () => {
  it('renders on the server and hydrates without errors or warnings (undecided user)', async () => {
    const recorder = recordingTelemetry();
    const { html, problems } = await serverRenderThenHydrate(recorder.options);
    expect(problems).toEqual([]);
    // The server cannot know the decision: no dialog in the HTML, one after hydration.
    expect(html).not.toContain('role="dialog"');
    expect(html).toContain('consent: unknown');
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('hydrates without warnings for a user who already accepted, then shows their state', async () => {
    const recorder = recordingTelemetry();
    const earlier = recorder.create();
    earlier.consent.grant();
    await earlier.shutdown();
    const { problems } = await serverRenderThenHydrate(recorder.options);
    expect(problems).toEqual([]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('consent: granted')).toBeTruthy();
    expect(screen.getByRole('switch').getAttribute('aria-checked')).toBe('true');
  });
});
