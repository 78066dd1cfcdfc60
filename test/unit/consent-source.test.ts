import type { ConsentSource, ConsentState } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { databaseNames, eventually, makeClient, sleep, storageKeys } from './harness.js';

/**
 * The client with `consent: { source }`. The source here is a hand-made one: `ConsentSource` is
 * this library's own interface (the real consent managers' adapters are in telemetry-kit/consent
 * and tested against the IAB's libraries in Chromium).
 */
function manager(name = 'tcf') {
  let listener: ((decision: ConsentState) => void) | undefined;
  let evidence: string | undefined;
  const source: ConsentSource = {
    name,
    subscribe(next) {
      listener = next;
      return () => {
        listener = undefined;
      };
    },
    evidence: () => evidence,
  };
  return {
    source,
    decide(decision: ConsentState, hash?: string) {
      evidence = hash;
      listener?.(decision);
    },
  };
}

describe('consent from an existing consent manager', () => {
  it('before the manager answers: unknown, nothing sent, no database, no id; even with GPC-like defaults ignored', async () => {
    const cmp = manager();
    const { client, batches, indexedDB } = makeClient(
      { consent: { source: cmp.source, default: 'granted' } },
      { grant: false },
    );
    client.track('early');
    await client.flush();
    await sleep(30);
    expect(client.consent.get()).toBe('unknown');
    expect(client.consent.source()).toBe('tcf');
    expect(batches).toEqual([]);
    expect(await databaseNames(indexedDB)).toEqual([]);
    expect(storageKeys()).toEqual([]);
  });

  it("follows the manager: its grant is the user's, recorded with the source and the string's hash", async () => {
    const cmp = manager();
    const { client, received } = makeClient({ consent: { source: cmp.source } }, { grant: false });
    client.track('before.answer');
    await sleep(0);
    cmp.decide('granted', 'a'.repeat(64));
    expect(client.consent.get()).toBe('granted');
    expect(client.consent.receipt()).toMatchObject({
      state: 'granted',
      source: 'tcf',
      evidence_sha256: 'a'.repeat(64),
    });
    await client.flush();
    expect(received().map((event) => event.event_type)).toContain('before.answer');
  });

  it('a revoke in the manager deletes the queue and the ids, like deny()', async () => {
    const cmp = manager();
    const { client, indexedDB } = makeClient({ consent: { source: cmp.source } }, { grant: false });
    await sleep(0);
    cmp.decide('granted');
    client.track('stored');
    await eventually(async () => expect(await databaseNames(indexedDB)).toEqual(['telemetry-kit']));
    cmp.decide('denied');
    expect(client.consent.get()).toBe('denied');
    await eventually(async () => expect(await databaseNames(indexedDB)).toEqual([]));
    expect(storageKeys()).toEqual(['telemetry-kit:consent']);
  });

  it('a manager that says denied at once deletes what an earlier visit stored', async () => {
    const first = makeClient({}, { grant: true });
    first.client.track('earlier');
    await eventually(async () =>
      expect(await databaseNames(first.indexedDB)).toEqual(['telemetry-kit']),
    );
    await first.client.shutdown();
    const source: ConsentSource = {
      name: 'cookiebot',
      subscribe(listener) {
        listener('denied');
        return () => {};
      },
    };
    const next = makeClient(
      { consent: { source }, environment: { indexedDB: first.indexedDB } },
      { grant: false },
    );
    await eventually(async () => expect(await databaseNames(first.indexedDB)).toEqual([]));
    expect(next.client.consent.get()).toBe('denied');
    expect(storageKeys()).toEqual(['telemetry-kit:consent']);
  });

  it('a manager that throws or answers garbage leaves the state unknown, and nothing throws', async () => {
    const throwing: ConsentSource = {
      subscribe() {
        throw new Error('CMP exploded');
      },
    };
    const messages: string[] = [];
    const a = makeClient(
      { consent: { source: throwing }, debug: (message) => messages.push(message) },
      { grant: false },
    );
    const cmp = manager('garbage');
    const b = makeClient({ storageKey: 'b', consent: { source: cmp.source } }, { grant: false });
    await sleep(0);
    cmp.decide('yes please' as ConsentState);
    expect(a.client.consent.get()).toBe('unknown');
    expect(b.client.consent.get()).toBe('unknown');
    await a.client.flush();
    expect(a.batches).toEqual([]);
    await eventually(() =>
      expect(
        messages.filter((message) => message.startsWith('the consent source threw')),
      ).toHaveLength(1),
    );
  });
});
