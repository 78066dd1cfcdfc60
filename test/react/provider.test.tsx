import { render } from '@testing-library/react';
import { StrictMode, useEffect, useLayoutEffect } from 'react';
import * as core from 'telemetry-kit';
import { TelemetryProvider, useComponentTracking, useTelemetry } from 'telemetry-kit/react';
import { describe, expect, it, vi } from 'vitest';
import { cleanUpAfterEach, nextTask, recordingTelemetry } from './helpers.js';

// Counts real clients: the wrapper calls the core's own `createTelemetry`.
vi.mock('telemetry-kit', async (importOriginal) => {
  const actual = await importOriginal<typeof import('telemetry-kit')>();
  return { ...actual, createTelemetry: vi.fn(actual.createTelemetry) };
});
const createTelemetry = vi.mocked(core.createTelemetry);

cleanUpAfterEach();

type OnClient = { onClient: (client: core.TelemetryClient) => void };

/** Hands the client its tree sees to the test. */
function ExposeClient({ onClient }: OnClient) {
  onClient(useTelemetry());
  return null;
}

/** A library component and an app effect, as a StrictMode app would have them. */
function PageWithEffects({ onClient }: OnClient) {
  const telemetry = useTelemetry();
  onClient(telemetry);
  useComponentTracking('Button', { variant: 'primary' });
  useEffect(() => telemetry.track('app.effect'), [telemetry]);
  return null;
}

/** Children's layout effects run before the provider's: the client does not exist yet. */
function EarlyChild({ onClient }: OnClient) {
  const telemetry = useTelemetry();
  onClient(telemetry);
  useLayoutEffect(() => telemetry.track('child.layout'), [telemetry]);
  useEffect(() => telemetry.track('child.effect'), [telemetry]);
  return null;
}

function TrackedButton() {
  useComponentTracking('Button', { variant: 'primary' });
  return null;
}

function grantedOptions() {
  localStorage.clear();
  const recorder = recordingTelemetry();
  // A decision made earlier, as a returning user who accepted would have.
  const seed = recorder.create();
  seed.consent.grant();
  void seed.shutdown();
  createTelemetry.mockClear();
  return recorder;
}

describe('TelemetryProvider', () => {
  it('creates one client under StrictMode and counts each event once', async () => {
    const recorder = grantedOptions();
    let seen: core.TelemetryClient | undefined;
    render(
      <StrictMode>
        <TelemetryProvider {...recorder.options} pageViews>
          <PageWithEffects onClient={(client) => (seen = client)} />
        </TelemetryProvider>
      </StrictMode>,
    );
    await nextTask();
    expect(createTelemetry).toHaveBeenCalledTimes(1);
    await seen?.flush();
    // StrictMode runs the effect twice: the app's own effect is its business (2 events); the
    // library's mount counts once and the automatic page view (one history patch) once.
    expect(recorder.sentOfType('component.mount').map((e) => e.metadata.count)).toEqual([1]);
    expect(recorder.sentOfType('page.view')).toHaveLength(1);
    expect(recorder.sentOfType('app.effect')).toHaveLength(2);
  });

  it('keeps calls made in children’s effects before the client exists', async () => {
    const recorder = grantedOptions();
    let seen: core.TelemetryClient | undefined;
    render(
      <TelemetryProvider options={recorder.options}>
        <EarlyChild onClient={(client) => (seen = client)} />
      </TelemetryProvider>,
    );
    await seen?.flush();
    expect(recorder.sent().map((e) => e.event_type)).toEqual(
      expect.arrayContaining(['child.layout', 'child.effect']),
    );
  });

  it('counts every mount of its first commit, however many: 5,000 buttons count 5,000', async () => {
    const recorder = grantedOptions();
    let seen: core.TelemetryClient | undefined;
    const many = Array.from({ length: 5_000 }, (_, i) => i);
    render(
      <TelemetryProvider {...recorder.options}>
        {many.map((i) => (
          <TrackedButton key={i} />
        ))}
        <ExposeClient onClient={(client) => (seen = client)} />
      </TelemetryProvider>,
    );
    await seen?.flush();
    expect(recorder.sentOfType('component.mount').map((e) => e.metadata.count)).toEqual([5_000]);
  });

  it('shuts the client it owns down on unmount, and only then', async () => {
    const recorder = grantedOptions();
    let seen: core.TelemetryClient | undefined;
    const { unmount } = render(
      <StrictMode>
        <TelemetryProvider {...recorder.options}>
          <ExposeClient onClient={(client) => (seen = client)} />
        </TelemetryProvider>
      </StrictMode>,
    );
    await nextTask();
    // StrictMode's simulated unmount did not stop it: it still accepts events.
    const before = seen?.status().queued ?? 0;
    seen?.track('while.mounted');
    const whileMounted = seen?.status().queued ?? 0;
    expect(whileMounted).toBeGreaterThan(before);
    unmount();
    await nextTask();
    // The real unmount did: the shut-down client ignores calls.
    const afterUnmount = seen?.status().queued;
    seen?.track('after.unmount');
    expect(seen?.status().queued).toBe(afterUnmount);
    expect(createTelemetry).toHaveBeenCalledTimes(1);
  });

  it('uses a given client as it is and never shuts it down', async () => {
    const recorder = grantedOptions();
    const client = recorder.create();
    let seen: core.TelemetryClient | undefined;
    const { unmount } = render(
      <TelemetryProvider client={client}>
        <ExposeClient onClient={(given) => (seen = given)} />
      </TelemetryProvider>,
    );
    expect(seen).toBe(client);
    unmount();
    await nextTask();
    client.track('still.running');
    await client.flush();
    expect(recorder.sentOfType('still.running')).toHaveLength(1);
    await client.shutdown();
  });

  it('creates nothing when nothing is rendered in a browser (server render)', async () => {
    const { renderToString } = await import('react-dom/server');
    createTelemetry.mockClear();
    renderToString(
      <TelemetryProvider serviceName="ssr">
        <p>hello</p>
      </TelemetryProvider>,
    );
    expect(createTelemetry).not.toHaveBeenCalled();
  });
});
