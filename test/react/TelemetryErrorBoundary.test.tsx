import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Component, type ReactNode, useState } from 'react';
import { TelemetryErrorBoundary, TelemetryProvider } from 'telemetry-kit/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanUpAfterEach, recordingTelemetry } from './helpers.js';

cleanUpAfterEach();
// React reports every caught render error on the console; that is expected here. React 18 in
// development also replays it as an uncaught window error, which jsdom would print.
const ignoreReplayedError = (event: ErrorEvent) => event.preventDefault();
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  window.addEventListener('error', ignoreReplayedError);
});
afterEach(() => {
  vi.restoreAllMocks();
  window.removeEventListener('error', ignoreReplayedError);
});

function Boom({ explode }: { explode: boolean }): ReactNode {
  if (explode) throw new TypeError('Cannot read properties of undefined (reading "total")');
  return <p>fine</p>;
}

/** A page that fails until the user retries after the cause is gone. */
function Page() {
  const [explode, setExplode] = useState(true);
  return (
    <TelemetryErrorBoundary
      fallback={({ reset }) => (
        <button
          type="button"
          onClick={() => {
            setExplode(false);
            reset();
          }}
        >
          Try again
        </button>
      )}
    >
      <Boom explode={explode} />
    </TelemetryErrorBoundary>
  );
}
/** An app's own error boundary. */
class AppBoundary extends Component<{ children?: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? <p>App fallback</p> : this.props.children;
  }
}
function grantedSetup() {
  const recorder = recordingTelemetry();
  const client = recorder.create();
  client.consent.grant();
  return { ...recorder, client };
}

describe('TelemetryErrorBoundary', () => {
  it('records an error event with a hashed component stack and renders the fallback', async () => {
    const { client, sentOfType } = grantedSetup();
    render(
      <TelemetryProvider client={client}>
        <TelemetryErrorBoundary fallback={<p role="alert">Something went wrong</p>}>
          <section>
            <Boom explode />
          </section>
        </TelemetryErrorBoundary>
      </TelemetryProvider>,
    );
    expect(screen.getByRole('alert').textContent).toBe('Something went wrong');
    await client.flush();
    const errors = sentOfType('error');
    expect(errors).toHaveLength(1);
    const metadata = errors[0]?.metadata ?? {};
    expect(metadata.error_class).toBe('TypeError');
    expect(metadata.component_stack_hash).toMatch(/^[0-9a-f]{8}$/);
    // Never the raw component stack: no component names, no source locations.
    const wire = JSON.stringify(errors);
    expect(wire).not.toContain('Boom');
    expect(wire).not.toMatch(/\.tsx?:\d+/);
    expect(metadata.source).toBe('boundary');
  });

  it('renders a fallback function with reset, which renders the children again', async () => {
    const { client } = grantedSetup();
    const user = userEvent.setup();
    render(
      <TelemetryProvider client={client}>
        <Page />
      </TelemetryProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('fine')).toBeTruthy();
  });

  it('works beside the app’s own error boundary: records, then lets it handle the error', async () => {
    const { client, sentOfType } = grantedSetup();
    render(
      <TelemetryProvider client={client}>
        <AppBoundary>
          <TelemetryErrorBoundary>
            <Boom explode />
          </TelemetryErrorBoundary>
        </AppBoundary>
      </TelemetryProvider>,
    );
    expect(screen.getByText('App fallback')).toBeTruthy();
    await client.flush();
    expect(sentOfType('error')).toHaveLength(1);
  });

  it('records nothing and still renders the fallback with no provider', () => {
    render(
      <TelemetryErrorBoundary fallback={<p>offline fallback</p>}>
        <Boom explode />
      </TelemetryErrorBoundary>,
    );
    expect(screen.getByText('offline fallback')).toBeTruthy();
  });
});
