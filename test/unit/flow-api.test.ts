import {
  createDeferredClient,
  createInertClient,
  type TelemetryEvent,
  withFlow,
} from 'telemetry-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeClient } from './harness.js';

/**
 * The flow API of the core (DESIGN.md, "Flows"): `telemetry.flow(name)` and `withFlow`, over the
 * engine's pairing (flow-events.test.ts).
 */
function debugged(options: Parameters<typeof makeClient>[0] = {}) {
  const messages: string[] = [];
  const made = makeClient({ ...options, debug: (message) => messages.push(message) });
  const ofType = (type: string) =>
    made.received().filter((event: TelemetryEvent) => event.event_type === type);
  return { ...made, messages, ofType };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('telemetry.flow()', () => {
  it('records flow.start and flow.end with one correlation_id, the metadata and duration_ms', async () => {
    // The duration is the monotonic clock's: the wall clock set back an hour meanwhile (NTP, the
    // user) changes nothing.
    let wall = 1_700_000_000_000;
    let monotonic = 1_000.25;
    vi.spyOn(performance, 'now').mockImplementation(() => monotonic);
    const { client, ofType } = debugged({ environment: { now: () => wall } });
    const flow = client.flow('export', { format: 'csv' });
    wall -= 3_600_000;
    monotonic += 250.4;
    flow.end('success', { rows: 3, duration_ms: 1 });
    await client.flush();
    const [started] = ofType('flow.start');
    const [ended] = ofType('flow.end');
    expect(flow.id).toMatch(/^[a-z0-9]{8,}$/);
    expect(started?.metadata).toEqual({ format: 'csv', flow: 'export', correlation_id: flow.id });
    expect(ended?.metadata).toEqual({
      rows: 3,
      flow: 'export',
      correlation_id: flow.id,
      outcome: 'success',
      duration_ms: 250,
    });
  });

  it('gives every flow its own id, and the library fields win over the caller metadata', async () => {
    const { client, ofType } = debugged();
    const ids = new Set(Array.from({ length: 500 }, () => client.flow('f').id));
    expect(ids.size).toBe(500);
    const flow = client.flow('import', { flow: 'other', correlation_id: 'mine', outcome: 'x' });
    flow.end('cancelled');
    await client.flush();
    const start = ofType('flow.start').find((event) => event.metadata.flow === 'import');
    expect(start?.metadata).toEqual({ flow: 'import', correlation_id: flow.id });
    expect(ofType('flow.end')[0]?.metadata.outcome).toBe('cancelled');
  });

  it('fail() captures the error with the correlation_id and ends the flow as failure', async () => {
    const { client, ofType } = debugged();
    const flow = client.flow('upload');
    flow.fail(new TypeError('network down'), { attempt: 2 });
    await client.flush();
    const [error] = ofType('error');
    expect(error?.metadata).toMatchObject({
      error_class: 'TypeError',
      message: 'network down',
      attempt: 2,
      correlation_id: flow.id,
    });
    expect(ofType('flow.end')[0]?.metadata).toMatchObject({
      correlation_id: flow.id,
      outcome: 'failure',
      attempt: 2,
    });
  });

  it('captureError(error, metadata, { flow }) ties an error to a flow that goes on', async () => {
    const { client, ofType } = debugged();
    const flow = client.flow('sync');
    client.captureError(new Error('one page failed'), { page: 3 }, { flow });
    flow.end('success');
    await client.flush();
    expect(ofType('error')[0]?.metadata).toMatchObject({ page: 3, correlation_id: flow.id });
    expect(ofType('flow.end')[0]?.metadata.outcome).toBe('success');
  });

  it('an end twice, a bad outcome or a bad name is dropped with a debug message, never thrown', async () => {
    const { client, ofType, messages } = debugged();
    const twice = client.flow('twice');
    twice.end('success');
    twice.end('cancelled');
    const bad = client.flow('bad');
    expect(() => bad.end('done' as never)).not.toThrow();
    expect(() => client.flow(42 as never)).not.toThrow();
    const hostile = {
      get rows(): number {
        throw new Error('getter');
      },
    };
    expect(() => client.flow('hostile', hostile).end('success', hostile)).not.toThrow();
    expect(() => client.flow('odd', 'text' as never).end('success', 7 as never)).not.toThrow();
    await client.flush();
    const ends = ofType('flow.end').map((event) => [event.metadata.flow, event.metadata.outcome]);
    expect(ends).toEqual([
      ['twice', 'success'],
      ['hostile', 'success'],
      ['odd', 'success'],
    ]);
    const told = messages.filter((message) => message.startsWith('flow event dropped'));
    expect(told).toEqual([
      `flow event dropped: flow "twice" (${twice.id}) was ended twice; only the first end counts`,
      'flow event dropped: flow "bad" ended with outcome "done"; use one of success, failure, cancelled, abandoned',
      'flow event dropped: a flow needs a name (a string of 1 to 128 characters), not 42',
    ]);
  });
});

describe('withFlow', () => {
  it('ends a synchronous piece of work as success and returns its value', async () => {
    const { client, ofType } = debugged();
    expect(withFlow(client, 'parse', (flow) => flow.id.length > 0)).toBe(true);
    await client.flush();
    expect(ofType('flow.end')[0]?.metadata).toMatchObject({ flow: 'parse', outcome: 'success' });
  });

  it('ends an async piece of work as success once its promise resolves', async () => {
    const { client, ofType } = debugged();
    const result = withFlow(client, 'import', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'rows';
    });
    expect(ofType('flow.end')).toHaveLength(0);
    await expect(result).resolves.toBe('rows');
    await client.flush();
    expect(ofType('flow.end')[0]?.metadata).toMatchObject({ outcome: 'success' });
  });

  it('ends as failure, captures the error with the correlation_id and rethrows it', async () => {
    const { client, ofType } = debugged();
    const syncError = new Error('sync');
    expect(() =>
      withFlow(client, 'sync', () => {
        throw syncError;
      }),
    ).toThrow(syncError);
    const asyncError = new Error('async');
    await expect(
      withFlow(client, 'async', async () => {
        throw asyncError;
      }),
    ).rejects.toBe(asyncError);
    await client.flush();
    const ends = ofType('flow.end');
    expect(ends.map((event) => [event.metadata.flow, event.metadata.outcome])).toEqual([
      ['sync', 'failure'],
      ['async', 'failure'],
    ]);
    const errors = ofType('error');
    expect(errors.map((event) => event.metadata.correlation_id)).toEqual(
      ends.map((event) => event.metadata.correlation_id),
    );
  });
});

describe('flows before there is a client', () => {
  it('the deferred client keeps a flow started before attach and forwards its end', async () => {
    const deferred = createDeferredClient();
    const flow = deferred.client.flow('early');
    expect(flow.id).not.toBe('');
    const { client, ofType } = debugged();
    deferred.attach(client);
    flow.end('success');
    await client.flush();
    expect(ofType('flow.start')[0]?.metadata.correlation_id).toBe(flow.id);
    expect(ofType('flow.end')[0]?.metadata).toMatchObject({
      correlation_id: flow.id,
      outcome: 'success',
    });
  });

  it('the inert client hands out a flow that does nothing', () => {
    const flow = createInertClient().flow('nothing');
    expect(flow.id).toBe('');
    expect(() => {
      flow.end('success');
      flow.fail(new Error('x'));
    }).not.toThrow();
  });
});
