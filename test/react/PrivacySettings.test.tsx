import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import type { TelemetryClient, Transport } from 'telemetry-kit';
import { PrivacySettings, TelemetryProvider } from 'telemetry-kit/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanUpAfterEach, recordingTelemetry } from './helpers.js';

cleanUpAfterEach();
afterEach(() => {
  vi.restoreAllMocks();
});

/** jsdom's Blob has no `text()`; FileReader it has. */
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

function renderSettings(client: TelemetryClient, labels?: Parameters<typeof PrivacySettings>[0]) {
  const user = userEvent.setup();
  render(
    <StrictMode>
      <TelemetryProvider client={client}>
        <PrivacySettings {...labels} />
      </TelemetryProvider>
    </StrictMode>,
  );
  return user;
}

/**
 * A returning user who accepted, with a few events waiting on this device: the collector is
 * unreachable (status 0), so they stay queued. `requests` counts every attempt to send.
 */
function clientWithQueue(getSubject?: Transport['getSubject']) {
  const requests: string[] = [];
  const recorder = recordingTelemetry({
    transport: {
      send: async (body) => {
        requests.push(body);
        return { status: 0 };
      },
      ...(getSubject ? { getSubject } : {}),
    },
  });
  const client = recorder.create();
  client.consent.grant();
  client.page('/pricing');
  client.featureUsed('export', { format: 'csv' });
  return { ...recorder, client, requests };
}

describe('PrivacySettings', () => {
  it('shows a labelled switch bound to consent and the events queued right now', async () => {
    const { client } = clientWithQueue();
    renderSettings(client);
    const toggle = screen.getByRole('switch', { name: 'Share anonymous usage data' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    const queued = await client.pending();
    expect(queued.length).toBeGreaterThan(0);
    await screen.findByText(`${queued.length} events waiting to be sent.`);
    for (const event of queued) {
      expect(screen.getAllByText(event.event_type).length).toBeGreaterThan(0);
    }
  });

  it('revokes consent with the switch, and the queue empties', async () => {
    const { client, requests } = clientWithQueue();
    const user = renderSettings(client);
    const toggle = screen.getByRole('switch', { name: 'Share anonymous usage data' });
    await screen.findByText(/events waiting to be sent/);
    const requestsBefore = requests.length;
    await user.click(toggle);
    expect(client.consent.get()).toBe('denied');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    await waitFor(() => expect(screen.getByText('Nothing is waiting to be sent.')).toBeTruthy());
    expect(await client.pending()).toEqual([]);
    expect(screen.getByRole('status').textContent).toBe(
      'Sharing is off. What was waiting was deleted.',
    );
    await client.flush();
    expect(requests).toHaveLength(requestsBefore);

    await user.click(toggle);
    expect(client.consent.get()).toBe('granted');
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    expect(screen.getByRole('status').textContent).toBe('Sharing is on. Thank you.');
  });

  for (const server of ['answers', 'cannot be asked'] as const)
    it(`downloads exactly the events pending() returns and what the collector holds (it ${server}), as a JSON file`, async () => {
      const asked: string[] = [];
      const copy = {
        events: [{ id: 'evt_stored_1', event_type: 'page.view', metadata: { path: '/' } }],
        truncated: false,
      };
      const { client } = clientWithQueue(
        server === 'answers'
          ? async (anonymousId) => {
              asked.push(anonymousId);
              return { status: 200, body: { anonymous_id: anonymousId, ...copy } };
            }
          : undefined,
      );
      const blobs: Blob[] = [];
      const urls = { created: 0, revoked: 0 };
      URL.createObjectURL = (blob: Blob | MediaSource) => {
        blobs.push(blob as Blob);
        urls.created++;
        return `blob:test/${urls.created}`;
      };
      URL.revokeObjectURL = () => {
        urls.revoked++;
      };
      const clicked: HTMLAnchorElement[] = [];
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
        this: HTMLAnchorElement,
      ) {
        clicked.push(this);
      });
      const user = renderSettings(client);
      await user.click(screen.getByRole('button', { name: 'Download my data' }));
      await waitFor(() => expect(blobs).toHaveLength(1));
      const exported = JSON.parse(await readText(blobs[0]!)) as unknown;
      const pending = await client.pending();
      const anonymousId = pending[0]?.anonymous_id;
      expect(exported).toEqual({
        device: pending,
        server: server === 'answers' ? { anonymous_id: anonymousId, ...copy } : null,
      });
      if (server === 'answers') expect(asked).toEqual([anonymousId]);
      expect(blobs[0]?.type).toBe('application/json');
      expect(clicked[0]?.download).toBe('telemetry-data.json');
      expect(clicked[0]?.href).toBe('blob:test/1');
      expect(screen.getByRole('status').textContent).toMatch(
        server === 'answers'
          ? /^Downloaded \d+ events from this device and 1 event from the server as JSON\.$/
          : /^Downloaded \d+ events from this device as JSON\.$/,
      );
    });

  it('deletes the data on this device with "Delete my data", with visible feedback', async () => {
    const deletions: string[] = [];
    const recorder = recordingTelemetry({
      transport: {
        send: async () => ({ status: 200 }),
        deleteSubject: async (anonymousId) => {
          deletions.push(anonymousId);
          return { status: 202 };
        },
      },
    });
    const client = recorder.create();
    client.consent.grant();
    client.track('something.happened');
    const before = await client.pending();
    const user = renderSettings(client);
    await screen.findByText(/events waiting to be sent/);
    await user.click(screen.getByRole('button', { name: 'Delete my data' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Deleted from this device; the server was asked to delete its copy.',
      ),
    );
    expect(await client.pending()).toEqual([]);
    expect(screen.getByText('Nothing is waiting to be sent.')).toBeTruthy();
    expect(deletions).toEqual([before[0]?.anonymous_id]);
  });

  it('takes replacement texts', async () => {
    const { client } = clientWithQueue();
    renderSettings(client, {
      labels: {
        switchLabel: 'Partager des statistiques anonymes',
        download: 'Télécharger mes données',
        queueCount: (count) => `${count} évènements en attente`,
      },
    });
    expect(screen.getByRole('switch', { name: 'Partager des statistiques anonymes' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Télécharger mes données' })).toBeTruthy();
    await screen.findByText(/évènements en attente/);
  });
});

describe('PrivacySettings and the app destinations', () => {
  it('lists the destinations the switch also covers, with what each receives', async () => {
    const client = recordingTelemetry({
      destinations: [
        {
          name: '@acme/ui maintainers',
          transport: { send: async () => ({ status: 200 }) },
          libraries: ['@acme/ui', '@acme/icons'],
        },
      ],
    }).create();
    renderSettings(client);
    const heading = await screen.findByRole('heading', { name: 'Also shared with' });
    const list = heading.nextElementSibling as HTMLElement;
    expect(list.tagName).toBe('UL');
    expect(list.textContent).toBe(
      '@acme/ui maintainers: which @acme/ui, @acme/icons components are shown',
    );
  });

  it('lists nothing without destinations', async () => {
    renderSettings(recordingTelemetry().create());
    await screen.findByRole('switch');
    expect(screen.queryByRole('heading', { name: 'Also shared with' })).toBeNull();
  });
});

describe('PrivacySettings with a consent manager deciding', () => {
  it('shows the state instead of the switch, and a button that opens the manager', async () => {
    let answer: (state: 'granted' | 'denied') => void = () => {};
    const client = recordingTelemetry({
      consent: {
        source: {
          name: 'cookiebot',
          subscribe(listener) {
            answer = listener;
            return () => {};
          },
        },
      },
    }).create();
    let opened = 0;
    const user = userEvent.setup();
    render(
      <TelemetryProvider client={client}>
        <PrivacySettings onOpenConsentManager={() => opened++} />
      </TelemetryProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    answer('granted');
    await screen.findByText(/^On: this site's consent settings decide/);
    expect(screen.queryByRole('switch')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Open consent settings' }));
    expect(opened).toBe(1);
  });
});
