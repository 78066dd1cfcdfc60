import { describe, expect, it } from 'vitest';
import { ingestRequest, makeBatch, makeEvent, sharedCollector } from './fixtures.js';

/** Device clocks: each event's time corrected by the batch's skew (receive time − sent_at). */
const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const shared = sharedCollector({ rateLimit: false, now: () => NOW });

/** A batch as a device whose clock is `offset` ms off would send it, its events `ago` ms old. */
async function sendFrom(offset: number, agos: number[]) {
  const deviceNow = NOW + offset;
  const events = agos.map((ago) =>
    makeEvent({ timestamp: new Date(deviceNow - ago).toISOString() }),
  );
  const body = makeBatch(events, { sent_at: new Date(deviceNow).toISOString() });
  const response = await shared.collector.handle(ingestRequest(JSON.stringify(body)));
  return { response, events };
}

const stored = (id: string) =>
  shared.store.database.query<{ occurred_at: Date | string; skew: string | number | null }>(
    'SELECT occurred_at, clock_skew_ms AS skew FROM telemetry_events WHERE id = $1',
    [id],
  );
const iso = (value: Date | string) => new Date(value).toISOString();

describe('device clocks', () => {
  it('a clock three days ahead: accepted, each event filed at its real time, the skew kept beside it', async () => {
    const { response, events } = await sendFrom(3 * DAY, [0, 60_000, 3_600_000]);
    expect(response.status).toBe(202);
    expect((await response.json()).accepted).toBe(3);
    for (const [i, ago] of [0, 60_000, 3_600_000].entries()) {
      const [row] = await stored(events[i]?.id ?? '');
      expect(iso(row?.occurred_at ?? '')).toBe(new Date(NOW - ago).toISOString());
      expect(Number(row?.skew)).toBe(-3 * DAY);
    }
  });

  it('a clock a year behind: its events are filed now, not a year in the past', async () => {
    const { response, events } = await sendFrom(-365 * DAY, [5_000]);
    expect(response.status).toBe(202);
    const [row] = await stored(events[0]?.id ?? '');
    expect(iso(row?.occurred_at ?? '')).toBe(new Date(NOW - 5_000).toISOString());
    expect(Number(row?.skew)).toBe(365 * DAY);
    // The device's own time is recoverable: occurred_at − clock_skew_ms.
    const [device] = await shared.store.database.query<{ device: Date | string }>(
      `SELECT occurred_at - make_interval(secs => clock_skew_ms / 1000.0) AS device
         FROM telemetry_events WHERE id = $1`,
      [events[0]?.id ?? ''],
    );
    expect(iso(device?.device ?? '')).toBe(events[0]?.timestamp);
  });

  it('a clock within a minute is left alone (transit time as much as skew)', async () => {
    const { response, events } = await sendFrom(20_000, [1_000]);
    expect(response.status).toBe(202);
    const [row] = await stored(events[0]?.id ?? '');
    expect(iso(row?.occurred_at ?? '')).toBe(events[0]?.timestamp);
    expect(row?.skew).toBeNull();
  });

  it('a batch resent after the device set its clock right is stored once, in its first month', async () => {
    // Ten days behind: the first send is moved into December; the resend, its clock now right,
    // is not moved and would file the same event in November (another partition).
    const deviceNow = NOW - 10 * DAY;
    const event = makeEvent({ timestamp: new Date(deviceNow - 1_000).toISOString() });
    const send = (sentAt: number) =>
      shared.collector.handle(
        ingestRequest(
          JSON.stringify(makeBatch([event], { sent_at: new Date(sentAt).toISOString() })),
        ),
      );
    expect((await (await send(deviceNow)).json()).accepted).toBe(1);
    const resent = await (await send(NOW)).json();
    expect([resent.accepted, resent.duplicates]).toEqual([0, 1]);
    const rows = await shared.store.database.query<{ part: string; occurred_at: Date | string }>(
      'SELECT tableoid::regclass::text AS part, occurred_at FROM telemetry_events WHERE id = $1',
      [event.id],
    );
    expect(rows.map((row) => [row.part, iso(row.occurred_at)])).toEqual([
      ['telemetry_events_2026_12', new Date(NOW - 1_000).toISOString()],
    ]);
  });

  it('the corrected time is what is validated: an event in the future of its own batch is refused', async () => {
    // Sent by a device two days ahead, but dated three days ahead of that device's own clock.
    const deviceNow = NOW + 2 * DAY;
    const future = makeEvent({ timestamp: new Date(deviceNow + 3 * DAY).toISOString() });
    const fine = makeEvent({ timestamp: new Date(deviceNow - 1_000).toISOString() });
    const body = makeBatch([future, fine], { sent_at: new Date(deviceNow).toISOString() });
    const response = await shared.collector.handle(ingestRequest(JSON.stringify(body)));
    expect(response.status).toBe(202);
    const answer = await response.json();
    expect(answer.accepted).toBe(1);
    expect(answer.rejected).toEqual([{ index: 0, reason: 'timestamp: in the future' }]);
  });
});
