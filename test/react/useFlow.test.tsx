import { act, render } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import type { Flow, TelemetryClient } from 'telemetry-kit';
import { TelemetryProvider, useTelemetry } from 'telemetry-kit/react';
import { useFlow } from 'telemetry-kit/react/flow';
import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach, nextTask, recordingTelemetry } from './helpers.js';

cleanUpAfterEach();

/** A granted client of the core, recording what it sends. */
function granted() {
  const recorder = recordingTelemetry();
  const client = recorder.create();
  client.consent.grant();
  const flows = () =>
    recorder
      .sent()
      .filter((event) => event.event_type.startsWith('flow.'))
      .map((event) => [event.event_type, event.metadata.flow, event.metadata.outcome]);
  return { ...recorder, client, flows };
}

/** A checkout step: its flow, handed to the test, with buttons to end it. */
function Checkout({ name = 'checkout', onFlow }: { name?: string; onFlow?: (flow: Flow) => void }) {
  const flow = useFlow(name);
  onFlow?.(flow);
  return (
    <>
      <button type="button" onClick={() => flow.end('success', { items: 2 })}>
        pay
      </button>
      <button type="button" onClick={() => flow.fail(new Error('card declined'))}>
        fail
      </button>
    </>
  );
}

/** A wizard whose flow is named after its step. */
function Wizard() {
  const [step, setStep] = useState('step-1');
  useFlow(step);
  return (
    <button type="button" onClick={() => setStep('step-2')}>
      next
    </button>
  );
}

/** Hands the provider's client to the test. */
function Expose({ onClient }: { onClient: (client: TelemetryClient) => void }) {
  onClient(useTelemetry());
  return null;
}

describe('useFlow', () => {
  it('starts a flow when the component mounts and ends it with the handle, once', async () => {
    const { client, flows, sentOfType } = granted();
    const handles: Flow[] = [];
    const view = render(
      <TelemetryProvider client={client}>
        <Checkout onFlow={(flow) => handles.push(flow)} />
      </TelemetryProvider>,
    );
    act(() => view.getByText('pay').click());
    view.rerender(
      <TelemetryProvider client={client}>
        <Checkout onFlow={(flow) => handles.push(flow)} />
      </TelemetryProvider>,
    );
    view.unmount();
    await client.flush();
    expect(flows()).toEqual([
      ['flow.start', 'checkout', undefined],
      ['flow.end', 'checkout', 'success'],
    ]);
    // One object on every render, whose id is the events' correlation_id.
    expect(new Set(handles).size).toBe(1);
    expect(sentOfType('flow.end')[0]?.metadata).toMatchObject({
      correlation_id: handles[0]?.id,
      items: 2,
    });
  });

  it('ends the flow as cancelled when the component unmounts before it ended', async () => {
    const { client, flows } = granted();
    const view = render(
      <TelemetryProvider client={client}>
        <Checkout />
      </TelemetryProvider>,
    );
    view.unmount();
    await client.flush();
    expect(flows()).toEqual([
      ['flow.start', 'checkout', undefined],
      ['flow.end', 'checkout', 'cancelled'],
    ]);
  });

  it('starts one flow under StrictMode, not two', async () => {
    const { client, flows } = granted();
    const view = render(
      <StrictMode>
        <TelemetryProvider client={client}>
          <Checkout />
        </TelemetryProvider>
      </StrictMode>,
    );
    await nextTask();
    await client.flush();
    expect(flows()).toEqual([['flow.start', 'checkout', undefined]]);
    view.unmount();
    await client.flush();
    expect(flows()).toEqual([
      ['flow.start', 'checkout', undefined],
      ['flow.end', 'checkout', 'cancelled'],
    ]);
  });

  it('a new name cancels the flow and starts another', async () => {
    const { client, flows } = granted();
    const view = render(
      <TelemetryProvider client={client}>
        <Wizard />
      </TelemetryProvider>,
    );
    act(() => view.getByText('next').click());
    await client.flush();
    expect(flows()).toEqual([
      ['flow.start', 'step-1', undefined],
      ['flow.end', 'step-1', 'cancelled'],
      ['flow.start', 'step-2', undefined],
    ]);
  });

  it('fail() captures the error with the flow’s correlation_id and ends it as failure', async () => {
    const { client, flows, sentOfType } = granted();
    let handle: Flow | undefined;
    const view = render(
      <TelemetryProvider client={client}>
        <Checkout onFlow={(flow) => (handle = flow)} />
      </TelemetryProvider>,
    );
    act(() => view.getByText('fail').click());
    view.unmount();
    await client.flush();
    expect(flows()).toEqual([
      ['flow.start', 'checkout', undefined],
      ['flow.end', 'checkout', 'failure'],
    ]);
    expect(sentOfType('error')[0]?.metadata).toMatchObject({
      message: 'card declined',
      correlation_id: handle?.id,
    });
  });

  it('works under a provider that creates its client after the first render', async () => {
    const recorder = recordingTelemetry();
    const seed = recorder.create();
    seed.consent.grant();
    await seed.shutdown();
    let seen: TelemetryClient | undefined;
    const view = render(
      <TelemetryProvider options={recorder.options}>
        <Checkout />
        <Expose onClient={(client) => (seen = client)} />
      </TelemetryProvider>,
    );
    act(() => view.getByText('pay').click());
    await seen?.flush();
    expect(
      recorder
        .sent()
        .filter((event) => event.event_type.startsWith('flow.'))
        .map((event) => event.event_type),
    ).toEqual(['flow.start', 'flow.end']);
  });

  it('without a provider, hands out a flow that does nothing', () => {
    let flow: Flow | undefined;
    render(<Checkout onFlow={(given) => (flow = given)} />);
    expect(flow?.id).toBe('');
    expect(() => flow?.end('success')).not.toThrow();
  });
});
