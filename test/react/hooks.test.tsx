import { act, render, renderHook } from '@testing-library/react';
import * as React from 'react';
import { type ReactNode, StrictMode, Suspense, useState } from 'react';
import * as core from 'telemetry-kit';
import {
  TelemetryProvider,
  useComponentTracking,
  useConsent,
  useFeatureToggle,
  usePageView,
  useTelemetry,
} from 'telemetry-kit/react';
import { describe, expect, it, vi } from 'vitest';
import { cleanUpAfterEach, recordingTelemetry } from './helpers.js';

vi.mock('telemetry-kit', async (importOriginal) => {
  const actual = await importOriginal<typeof import('telemetry-kit')>();
  return { ...actual, createTelemetry: vi.fn(actual.createTelemetry) };
});
const createTelemetry = vi.mocked(core.createTelemetry);

cleanUpAfterEach();

/** A granted client of the core, recording what it sends, and a provider around it. */
function grantedSetup() {
  const recorder = recordingTelemetry();
  const client = recorder.create();
  client.consent.grant();
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <TelemetryProvider client={client}>{children}</TelemetryProvider>
  );
  return { ...recorder, client, wrapper };
}

function Button(props: { variant: string; size?: string; onClick?: () => void }) {
  useComponentTracking('Button', props, { library: '@acme/ui', version: '2.1.0' });
  return <button type="button">{props.variant}</button>;
}

/** A button whose variant changes on click: a prop change after mount. */
function Toggler() {
  const [variant, setVariant] = useState('primary');
  return (
    <>
      <Button variant={variant} />
      <button type="button" onClick={() => setVariant('secondary')}>
        change
      </button>
    </>
  );
}

/** A component with state of its own after the tracking hook. */
function Stepper() {
  useComponentTracking('Stepper');
  const [step, setStep] = useState(0);
  return (
    <button type="button" onClick={() => setStep(step + 1)}>
      step {step}
    </button>
  );
}

function Card(props: Record<string, unknown>) {
  useComponentTracking('Card', props);
  return null;
}

/** Data that is still loading until `open()`: a component reading it suspends. */
function createGate() {
  const gate = { ready: false, open: () => {}, promise: Promise.resolve() };
  gate.promise = new Promise<void>((resolve) => {
    gate.open = () => {
      gate.ready = true;
      resolve();
    };
  });
  return gate;
}

function Loading({ gate }: { gate: ReturnType<typeof createGate> }) {
  if (!gate.ready) throw gate.promise;
  return null;
}

/** A page whose router gives it its path. */
function RoutedPage({ path }: { path?: string }) {
  usePageView(path);
  return null;
}

describe('useComponentTracking', () => {
  it('does nothing with no provider above it: no client, no storage, no error', () => {
    createTelemetry.mockClear();
    const { container } = render(
      <StrictMode>
        <Button variant="primary" />
      </StrictMode>,
    );
    expect(container.textContent).toBe('primary');
    expect(createTelemetry).not.toHaveBeenCalled();
    expect(localStorage.length).toBe(0);
  });

  it('counts one mount per instance under StrictMode, re-renders and prop changes', async () => {
    const { client, sentOfType, wrapper: Wrapper } = grantedSetup();
    const { getByText, rerender } = render(
      <StrictMode>
        <Wrapper>
          <Toggler />
        </Wrapper>
      </StrictMode>,
    );
    act(() => getByText('change').click());
    rerender(
      <StrictMode>
        <Wrapper>
          <Toggler />
        </Wrapper>
      </StrictMode>,
    );
    await client.flush();
    const mounts = sentOfType('component.mount');
    expect(mounts).toHaveLength(1);
    expect(mounts[0]?.metadata).toMatchObject({
      component: 'Button',
      library: '@acme/ui',
      version: '2.1.0',
      props: { variant: 'primary' },
      count: 1,
    });
  });

  it('counts a mount when it commits, not for a render that suspends before committing', async () => {
    const { client, sentOfType, wrapper: Wrapper } = grantedSetup();
    const gate = createGate();
    const { container } = render(
      <Wrapper>
        <Suspense fallback="loading">
          <Button variant="primary" />
          <Loading gate={gate} />
        </Suspense>
      </Wrapper>,
    );
    expect(container.textContent).toBe('loading');
    await client.flush();
    expect(sentOfType('component.mount')).toHaveLength(0);
    await act(async () => gate.open());
    expect(container.textContent).toBe('primary');
    await client.flush();
    expect(sentOfType('component.mount').map((event) => event.metadata.count)).toEqual([1]);
  });

  // React 19.2+ only: <Activity> disconnects and reconnects its children's effects.
  const Activity = (React as { Activity?: typeof React.Activity }).Activity;
  it.skipIf(!Activity)(
    'counts an instance once when an <Activity> hides and shows it again',
    async () => {
      const { client, sentOfType, wrapper: Wrapper } = grantedSetup();
      const Boundary = Activity as typeof React.Activity;
      const tree = (mode: 'visible' | 'hidden') => (
        <Wrapper>
          <Boundary mode={mode}>
            <Button variant="primary" />
          </Boundary>
        </Wrapper>
      );
      const { rerender } = render(tree('visible'));
      rerender(tree('hidden'));
      rerender(tree('visible'));
      await client.flush();
      expect(sentOfType('component.mount').map((event) => event.metadata.count)).toEqual([1]);
    },
  );

  it('never throws or loses state when a provider is given a client, then none, then it again', async () => {
    const { client, options, sentOfType } = grantedSetup();
    const { getByRole, rerender } = render(
      <TelemetryProvider client={client}>
        <Stepper />
      </TelemetryProvider>,
    );
    act(() => getByRole('button').click());
    // Options are read on the first mount only, so there is no client to create: the children
    // get the inert client, never none, and keep calling the same hooks in the same order.
    rerender(
      <TelemetryProvider {...options}>
        <Stepper />
      </TelemetryProvider>,
    );
    act(() => getByRole('button').click());
    rerender(
      <TelemetryProvider client={client}>
        <Stepper />
      </TelemetryProvider>,
    );
    expect(getByRole('button').textContent).toBe('step 2');
    await client.flush();
    expect(sentOfType('component.mount').map((event) => event.metadata.count)).toEqual([1]);
  });

  it('turns 10,000 mounted instances into one event with count: 10000', async () => {
    const { client, sentOfType, wrapper: Wrapper } = grantedSetup();
    const many = Array.from({ length: 10_000 }, (_, i) => i);
    render(
      <Wrapper>
        {many.map((i) => (
          <Button key={i} variant="primary" size="md" />
        ))}
      </Wrapper>,
    );
    await client.flush();
    const mounts = sentOfType('component.mount');
    expect(mounts).toHaveLength(1);
    expect(mounts[0]?.metadata.count).toBe(10_000);
  });

  it('keeps only primitive prop values, strings truncated; never children, functions or objects', async () => {
    const { client, sentOfType, wrapper: Wrapper } = grantedSetup();
    render(
      <Wrapper>
        <Card
          elevation={2}
          outlined
          tone={null}
          label={'x'.repeat(500)}
          onClick={() => {}}
          style={{ color: 'red' }}
          items={['a']}
          // biome-ignore lint/correctness/noChildrenProp: the hook must drop it
          children={<span>secret text</span>}
        />
      </Wrapper>,
    );
    await client.flush();
    const props = sentOfType('component.mount')[0]?.metadata.props as Record<string, unknown>;
    expect(Object.keys(props).sort()).toEqual(['elevation', 'label', 'outlined', 'tone']);
    expect(props).toMatchObject({ elevation: 2, outlined: true, tone: null });
    expect(String(props.label).length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(sentOfType('component.mount'))).not.toContain('secret text');
  });
});

describe('usePageView', () => {
  it('records a page view once per path, not twice in StrictMode', async () => {
    const { client, sentOfType, wrapper: Wrapper } = grantedSetup();
    const tree = (path: string) => (
      <StrictMode>
        <Wrapper>
          <RoutedPage path={path} />
        </Wrapper>
      </StrictMode>
    );
    const { rerender } = render(tree('/docs'));
    rerender(tree('/docs'));
    rerender(tree('/users/12345/settings?tab=2'));
    await client.flush();
    expect(sentOfType('page.view').map((e) => e.metadata.path)).toEqual([
      '/docs',
      '/users/:id/settings',
    ]);
  });

  it('records the current location when given no path', async () => {
    const { client, sentOfType, wrapper: Wrapper } = grantedSetup();
    render(
      <StrictMode>
        <Wrapper>
          <RoutedPage />
        </Wrapper>
      </StrictMode>,
    );
    await client.flush();
    expect(sentOfType('page.view')).toHaveLength(1);
    expect(sentOfType('page.view')[0]?.metadata.path).toBe(window.location.pathname);
  });
});

describe('useFeatureToggle', () => {
  it('records feature.toggle on each change, not on the initial render', async () => {
    const { client, sentOfType, wrapper } = grantedSetup();
    const { result } = renderHook(() => useFeatureToggle('dark-mode', false), {
      wrapper: ({ children }) => <StrictMode>{wrapper({ children })}</StrictMode>,
    });
    expect(result.current[0]).toBe(false);
    act(() => result.current[1](true));
    act(() => result.current[1](true));
    act(() => result.current[1]((enabled) => !enabled));
    expect(result.current[0]).toBe(false);
    await client.flush();
    expect(sentOfType('feature.toggle').map((e) => e.metadata)).toEqual([
      { feature: 'dark-mode', enabled: true },
      { feature: 'dark-mode', enabled: false },
    ]);
  });
});

describe('useConsent and useTelemetry', () => {
  it('returns the state and grant / deny, following changes', () => {
    const client = recordingTelemetry().create();
    const { result } = renderHook(() => useConsent(), {
      wrapper: ({ children }) => <TelemetryProvider client={client}>{children}</TelemetryProvider>,
    });
    expect(result.current.state).toBe('unknown');
    act(() => result.current.grant());
    expect(result.current.state).toBe('granted');
    act(() => client.consent.deny());
    expect(result.current.state).toBe('denied');
  });

  it('gives an inert client, the same one each time, with no provider', async () => {
    const { result, rerender } = renderHook(() => useTelemetry());
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
    await expect(first.preview('page.view')).resolves.toBeNull();
    expect(first.consent.get()).toBe('unknown');
    const { result: consent } = renderHook(() => useConsent());
    expect(consent.current.state).toBe('unknown');
    act(() => consent.current.grant());
    expect(consent.current.state).toBe('unknown');
  });
});
