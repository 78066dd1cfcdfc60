import { describe, expect, it } from 'vitest';
import { DROP_EXPLANATIONS } from '../../src/lib/explainDrop.js';
import { DROP_REASONS } from '../../src/wire/event.js';
import { eventually, makeClient, recordingTransport } from './harness.js';

/** `debug` explains every drop and every refused call, once, with what to change. */
function debugged(options: Parameters<typeof makeClient>[0] = {}, grant = true) {
  const messages: string[] = [];
  const made = makeClient({ ...options, debug: (message) => messages.push(message) }, { grant });
  return { ...made, messages };
}

describe('debug explains every drop', () => {
  it('has a cause and a fix for every drop reason', () => {
    for (const reason of DROP_REASONS) {
      expect(DROP_EXPLANATIONS[reason].cause.length).toBeGreaterThan(20);
      expect(DROP_EXPLANATIONS[reason].fix.length).toBeGreaterThan(10);
    }
  });

  it('a sampled-out type: counted, and told once with the type, the reason and the fix', async () => {
    const { client, messages, received } = debugged({ sampling: { 'feature.use': 0 } });
    for (let i = 0; i < 5; i++) client.featureUsed('export');
    client.track('kept');
    await client.flush();
    expect(received().map((event) => event.event_type)).toContain('kept');
    expect(client.status().dropped).toMatchObject({ sampled: 5 });
    const told = messages.filter((message) => message.includes('(sampled)'));
    expect(told).toEqual([
      `"feature.use" events were dropped (sampled): ${DROP_EXPLANATIONS.sampled.cause}. To change: ${DROP_EXPLANATIONS.sampled.fix}.`,
    ]);
  });

  it('beforeSend returning null is before_send, per type, once each', async () => {
    const { client, messages } = debugged({
      beforeSend: (event) => (event.event_type.startsWith('secret') ? null : event),
    });
    client.track('secret.a');
    client.track('secret.a');
    client.track('secret.b');
    await client.flush();
    expect(client.status().dropped).toMatchObject({ before_send: 3 });
    const told = messages.filter((message) => message.includes('(before_send)'));
    expect(told).toHaveLength(2);
    expect(told[0]).toMatch(/^"secret\.a" events were dropped \(before_send\)/);
  });

  it('a batch the collector rejects (400) is told with the reason and what to check', async () => {
    const collector = recordingTransport(() => 400);
    const { client, messages } = debugged({ transport: collector.transport });
    client.track('app.opened');
    await client.flush();
    expect(client.status().dropped).toMatchObject({ rejected: 2 });
    expect(
      messages.some((message) => message.includes('(rejected)') && message.includes('endpoint')),
    ).toBe(true);
  });

  it('a call refused because consent is denied says so, once per event type', async () => {
    const { client, messages } = debugged({}, false);
    client.consent.deny();
    client.track('after.deny');
    client.track('after.deny');
    client.page('/x');
    await eventually(() =>
      expect(messages.filter((message) => message.includes('consent is denied'))).toHaveLength(2),
    );
    expect(messages.find((message) => message.includes('consent is denied'))).toMatch(
      /^after\.deny was not recorded/,
    );
  });

  it('a call after shutdown() says the client was shut down', async () => {
    const { client, messages } = debugged();
    await client.shutdown();
    client.track('too.late');
    await eventually(() =>
      expect(messages).toContain('too.late was not recorded: the client was shut down'),
    );
  });
});
