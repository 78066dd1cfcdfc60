import type { TelemetryBatch, TelemetryEvent } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { createFlowTracker } from '../../src/pipeline/createFlowTracker.js';
import { engineStarted, makeClient, sleep } from './harness.js';

/**
 * The engine's side of flows (pipeline/createFlowTracker.ts): `flow.start` / `flow.end` events,
 * as DESIGN.md describes them, are checked, paired (the end gets `duration_ms`) and ended as
 * `abandoned` when the page goes away.
 */
const start = (id: string, flow = 'export', extra = {}) => ({
  flow,
  correlation_id: id,
  ...extra,
});
const end = (id: string, outcome: string | null, flow = 'export') => ({
  flow,
  correlation_id: id,
  outcome,
});

function debugged(options: Parameters<typeof makeClient>[0] = {}) {
  const messages: string[] = [];
  const made = makeClient({ ...options, debug: (message) => messages.push(message) });
  const flowEvents = () => made.received().filter((event) => event.event_type.startsWith('flow.'));
  return { ...made, messages, flowEvents };
}

describe('flow events in the engine', () => {
  it('gives a flow.end the time since its start as duration_ms, with the same correlation_id', async () => {
    let now = 1_700_000_000_000;
    const { client, flowEvents } = debugged({ environment: { now: () => now } });
    client.track('flow.start', start('f1', 'export', { format: 'csv' }));
    now += 1_234;
    client.track('flow.end', { ...end('f1', 'success'), rows: 3 });
    await client.flush();
    const [started, ended] = flowEvents();
    expect(started?.metadata).toEqual({ flow: 'export', correlation_id: 'f1', format: 'csv' });
    expect(ended?.metadata).toEqual({
      flow: 'export',
      correlation_id: 'f1',
      outcome: 'success',
      rows: 3,
      duration_ms: 1_234,
    });
  });

  it('keeps an id-shaped correlation_id (a UUID the scrubber would take for a secret) as given', async () => {
    const { client, flowEvents, received } = debugged();
    const uuid = crypto.randomUUID();
    client.track('flow.start', start(uuid));
    client.track('flow.end', end(uuid, 'success'));
    client.captureError(new Error('boom'), { correlation_id: uuid });
    client.track('other', { correlation_id: 'mail me at jane@example.com', token: uuid });
    await client.flush();
    expect(flowEvents().map((event) => event.metadata.correlation_id)).toEqual([uuid, uuid]);
    const error = received().find((event) => event.event_type === 'error');
    expect(error?.metadata.correlation_id).toBe(uuid);
    // Not id-shaped: scrubbed like any other value; and only this key is exempt.
    const other = received().find((event) => event.event_type === 'other');
    expect(other?.metadata.correlation_id).toBe('mail me at [email]');
    expect(other?.metadata.token).not.toBe(uuid);
  });

  it('a clock set back during a flow gives 0, not a negative duration', async () => {
    let now = 1_700_000_000_000;
    const { client, flowEvents } = debugged({ environment: { now: () => now } });
    client.track('flow.start', start('f1'));
    now -= 60_000;
    client.track('flow.end', end('f1', 'failure'));
    await client.flush();
    expect(flowEvents()[1]?.metadata.duration_ms).toBe(0);
  });

  it('keeps a duration_ms the end already carries (as flow() measures it), rounded, never negative', async () => {
    const { client, flowEvents } = debugged();
    client.track('flow.start', start('m1'));
    client.track('flow.end', { ...end('m1', 'success'), duration_ms: 42.6 });
    client.track('flow.start', start('m2'));
    client.track('flow.end', { ...end('m2', 'success'), duration_ms: -5 });
    await client.flush();
    expect(
      flowEvents()
        .filter((event) => event.event_type === 'flow.end')
        .map((event) => event.metadata.duration_ms),
    ).toEqual([43, 0]);
  });

  it('drops an end never started, an end twice and a bad outcome, each with a debug message', async () => {
    const { client, messages, flowEvents } = debugged();
    client.track('flow.end', end('nobody', 'success'));
    client.track('flow.start', start('f2'));
    client.track('flow.end', end('f2', 'done'));
    client.track('flow.end', end('f2', 'cancelled'));
    client.track('flow.end', end('f2', 'success'));
    client.track('flow.start', start('f3', ''));
    client.track('flow.start', { flow: 'import' });
    await client.flush();
    expect(flowEvents().map((event) => [event.event_type, event.metadata.outcome])).toEqual([
      ['flow.start', undefined],
      ['flow.end', 'cancelled'],
    ]);
    expect(client.status().dropped).toMatchObject({ invalid: 5 });
    const told = messages.filter((message) => message.startsWith('flow event dropped'));
    expect(told).toEqual([
      'flow event dropped: flow "export" (nobody) was ended but never started',
      'flow event dropped: flow "export" ended with outcome "done"; use one of success, failure, cancelled, abandoned',
      'flow event dropped: flow "export" (f2) was ended twice; only the first end counts',
      'flow event dropped: a flow needs a name (a string of 1 to 128 characters), not ""',
      'flow event dropped: flow "import" has no correlation_id',
    ]);
  });

  it('ends the flows still open as abandoned on pagehide, in the page-hide beacon', async () => {
    let now = 1_700_000_000_000;
    const { client, beacons } = debugged({ environment: { now: () => now } });
    await engineStarted(client);
    client.track('flow.start', start('open'));
    client.track('flow.start', start('done', 'import'));
    client.track('flow.end', end('done', 'success', 'import'));
    now += 5_000;
    window.dispatchEvent(new Event('pagehide'));
    await sleep(20);
    const sent = beacons.flatMap(
      (body) => (JSON.parse(body) as TelemetryBatch).events as TelemetryEvent[],
    );
    const abandoned = sent.filter((event) => event.metadata.outcome === 'abandoned');
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]?.metadata).toEqual({
      flow: 'export',
      correlation_id: 'open',
      outcome: 'abandoned',
      duration_ms: 5_000,
    });
    // A second pagehide (a page restored from the back/forward cache, then left) ends nothing twice.
    window.dispatchEvent(new Event('pagehide'));
    await sleep(20);
    const again = beacons
      .flatMap((body) => (JSON.parse(body) as TelemetryBatch).events as TelemetryEvent[])
      .filter((event) => event.metadata.outcome === 'abandoned');
    expect(again).toHaveLength(1);
  });

  it('keeps a flow.end whenever its flow.start was kept (sampled together, per session)', async () => {
    for (const rate of [0, 1]) {
      const { client, flowEvents } = debugged({ sampling: { 'flow.start': rate } });
      for (let i = 0; i < 20; i++) {
        client.track('flow.start', start(`s${i}`));
        client.track('flow.end', end(`s${i}`, 'success'));
      }
      await client.flush();
      const types = flowEvents().map((event) => event.event_type);
      expect(types.filter((type) => type === 'flow.start').length).toBe(rate * 20);
      expect(types.filter((type) => type === 'flow.end').length).toBe(rate * 20);
      await client.shutdown();
    }
  });

  it('remembers the last 1,000 flows of a page', () => {
    const messages: string[] = [];
    const tracker = createFlowTracker((message) => messages.push(String(message)));
    const draft = (type: string, metadata: { [key: string]: string | null }) => ({
      type,
      metadata,
      at: 0,
      path: undefined,
    });
    for (let i = 0; i <= 1_000; i++) tracker.check(draft('flow.start', start(`f${i}`)));
    expect(tracker.abandon(1)).toHaveLength(1_000);
    expect(tracker.check(draft('flow.end', end('f0', 'success')))).toBe(false);
    expect(tracker.check(draft('flow.end', end('f1000', 'success')))).toBe(true);
    expect(tracker.check(draft('page.view', {}))).toBe(true);
  });
});
