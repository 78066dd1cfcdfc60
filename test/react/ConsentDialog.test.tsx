import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type ReactNode, StrictMode, useState } from 'react';
import type { TelemetryClient } from 'telemetry-kit';
import { ConsentDialog, TelemetryProvider, useTelemetry } from 'telemetry-kit/react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUpAfterEach, recordingTelemetry } from './helpers.js';

cleanUpAfterEach();

/** An app with a button focused before the dialog appears, as after a click elsewhere. */
function App({ client, children }: { client: TelemetryClient; children?: ReactNode }) {
  const [ready, setReady] = useState(false);
  return (
    <TelemetryProvider client={client}>
      <button type="button" onClick={() => setReady(true)}>
        Open app
      </button>
      {ready && children}
    </TelemetryProvider>
  );
}

function ExposeClient({ onClient }: { onClient: (client: TelemetryClient) => void }) {
  onClient(useTelemetry());
  return null;
}

async function openDialog(client: TelemetryClient, dialog: ReactNode = <ConsentDialog />) {
  const user = userEvent.setup();
  render(
    <StrictMode>
      <App client={client}>{dialog}</App>
    </StrictMode>,
  );
  const opener = screen.getByRole('button', { name: 'Open app' });
  await user.click(opener);
  return { user, opener };
}

describe('ConsentDialog visibility', () => {
  it('is shown while consent is unknown and gone after Accept', async () => {
    const client = recordingTelemetry().create();
    const { user } = await openDialog(client);
    const dialog = screen.getByRole('dialog', { name: 'Help improve this app?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Accept' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(client.consent.get()).toBe('granted');
  });

  it('is gone after Decline, and the decision is a denial', async () => {
    const client = recordingTelemetry().create();
    const { user } = await openDialog(client);
    await user.click(screen.getByRole('button', { name: 'Decline' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(client.consent.get()).toBe('denied');
  });

  it.each(['granted', 'denied'] as const)('is not shown once consent is %s', async (state) => {
    const client = recordingTelemetry().create();
    if (state === 'granted') client.consent.grant();
    else client.consent.deny();
    await openDialog(client);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('renders nothing without a provider: nothing is collected, so nothing is asked', () => {
    render(<ConsentDialog />);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('hides when another tab (or code) decides while it is open', async () => {
    const client = recordingTelemetry().create();
    await openDialog(client);
    expect(screen.getByRole('dialog')).toBeTruthy();
    act(() => client.consent.grant());
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  describe('with browser privacy signals', () => {
    const restore: Array<() => void> = [];
    afterEach(() => {
      for (const undo of restore.splice(0)) undo();
    });
    const setSignal = (name: 'globalPrivacyControl' | 'doNotTrack', value: unknown) => {
      Object.defineProperty(navigator, name, { value, configurable: true });
      restore.push(() => {
        delete (navigator as unknown as Record<string, unknown>)[name];
      });
    };

    it('is never shown when Global Privacy Control decided', async () => {
      setSignal('globalPrivacyControl', true);
      const client = recordingTelemetry().create();
      expect(client.consent.get()).toBe('denied');
      await openDialog(client);
      expect(screen.queryByRole('dialog')).toBeNull();
    });

    it('is never shown when Do-Not-Track decided', async () => {
      setSignal('doNotTrack', '1');
      const client = recordingTelemetry().create();
      await openDialog(client);
      expect(screen.queryByRole('dialog')).toBeNull();
    });
  });
});

describe('ConsentDialog keyboard and focus', () => {
  it('is fully keyboard-operable: focus moves in, Tab stays inside, Enter decides, focus returns', async () => {
    const client = recordingTelemetry().create();
    const user = userEvent.setup();
    render(
      <StrictMode>
        <App client={client}>
          <ConsentDialog />
        </App>
      </StrictMode>,
    );
    const opener = screen.getByRole('button', { name: 'Open app' });
    await user.tab();
    expect(document.activeElement).toBe(opener);
    await user.keyboard('{Enter}');

    const dialog = screen.getByRole('dialog');
    // Focus is on the dialog itself, not on Accept: Enter alone must not agree.
    expect(document.activeElement).toBe(dialog);
    const accept = screen.getByRole('button', { name: 'Accept' });
    const decline = screen.getByRole('button', { name: 'Decline' });
    const showData = screen.getByRole('button', { name: 'Show me the data' });
    await user.tab();
    expect(document.activeElement).toBe(accept);
    await user.tab();
    expect(document.activeElement).toBe(decline);
    await user.tab();
    expect(document.activeElement).toBe(showData);
    await user.tab();
    expect(document.activeElement).toBe(accept);
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(showData);

    expect(showData.getAttribute('aria-expanded')).toBe('false');
    await user.keyboard('{Enter}');
    expect(showData.getAttribute('aria-expanded')).toBe('true');
    expect(showData.textContent).toBe('Hide the data');
    expect(screen.getByRole('heading', { name: 'What is collected' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'What is never collected' })).toBeTruthy();
    // The example is reachable too, then Tab wraps to the first control again.
    await user.tab();
    expect(document.activeElement?.tagName).toBe('PRE');
    await user.tab();
    expect(document.activeElement).toBe(accept);
    await user.tab();
    await user.keyboard(' ');

    expect(client.consent.get()).toBe('denied');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps Shift+Tab from the dialog itself inside, on its last control', async () => {
    const client = recordingTelemetry().create();
    const { user } = await openDialog(client);
    expect(document.activeElement).toBe(screen.getByRole('dialog'));
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Show me the data' }));
  });

  it('closes on Escape without deciding, returns focus, and asks again on the next load', async () => {
    const recorder = recordingTelemetry();
    const client = recorder.create();
    const { user, opener } = await openDialog(client);
    expect(document.activeElement).toBe(screen.getByRole('dialog'));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(client.consent.get()).toBe('unknown');
    expect(document.activeElement).toBe(opener);

    // The next page load: a new client and a new tree.
    const { unmount } = render(
      <TelemetryProvider client={recorder.create()}>
        <ConsentDialog />
      </TelemetryProvider>,
    );
    expect(screen.getByRole('dialog')).toBeTruthy();
    unmount();
  });
});

describe('ConsentDialog content', () => {
  it('shows an example event built by the same code that builds real events', async () => {
    const recorder = recordingTelemetry();
    const client = recorder.create();
    const { user } = await openDialog(client);
    await user.click(screen.getByRole('button', { name: 'Show me the data' }));
    // Built by the delivery chunk, which the click loads: it appears a moment later.
    const pre = await waitFor(() => {
      const shown = screen.getByRole('dialog').querySelector('pre');
      if (!shown) throw new Error('no example yet');
      return shown;
    });
    const example = JSON.parse(pre.textContent ?? 'null') as Record<string, unknown>;
    expect(example.event_type).toBe('page.view');

    await user.click(screen.getByRole('button', { name: 'Accept' }));
    client.page();
    await client.flush();
    const real = recorder.sentOfType('page.view')[0];
    expect(Object.keys(example).sort()).toEqual(Object.keys(real ?? {}).sort());
    expect(example.context).toEqual(real?.context);
    expect(example.metadata).toEqual(real?.metadata);
  });

  it('takes replacement texts and class names, and is unstyled by default', async () => {
    const client = recordingTelemetry().create();
    const { user } = await openDialog(
      client,
      <ConsentDialog
        className="my-banner"
        labels={{
          title: 'Statistiques anonymes ?',
          description: 'Nous comptons les pages vues, sans savoir qui vous êtes.',
          accept: 'Accepter',
          decline: 'Refuser',
          showData: 'Montrez-moi les données',
          collected: ['Les pages vues'],
        }}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Statistiques anonymes ?' });
    expect(dialog.getAttribute('aria-describedby')).toBe(
      screen.getByText('Nous comptons les pages vues, sans savoir qui vous êtes.').id,
    );
    expect(dialog.className).toBe('tk-consent my-banner');
    expect(dialog.querySelectorAll('[style]')).toHaveLength(0);
    expect(document.querySelectorAll('style, link')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Montrez-moi les données' }));
    expect(screen.getByText('Les pages vues')).toBeTruthy();
    const accept = screen.getByRole('button', { name: 'Accepter' });
    const decline = screen.getByRole('button', { name: 'Refuser' });
    // Equal weight: the same element, the same classes.
    expect(accept.className).toBe(decline.className);
  });

  it('never opens, not even for one frame, for a returning user when the provider owns the client', async () => {
    const recorder = recordingTelemetry();
    const earlier = recorder.create();
    earlier.consent.grant();
    await earlier.shutdown();
    const inserted: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes)
          if (node instanceof Element) inserted.push(node.outerHTML);
    });
    observer.observe(document.body, { childList: true, subtree: true });
    render(
      <StrictMode>
        <TelemetryProvider {...recorder.options}>
          <ConsentDialog />
        </TelemetryProvider>
      </StrictMode>,
    );
    await act(async () => {});
    observer.disconnect();
    expect(inserted.join('')).not.toContain('role="dialog"');
  });

  it('works with the provider owning its client (first render before the client exists)', async () => {
    const recorder = recordingTelemetry();
    let client: TelemetryClient | undefined;
    const user = userEvent.setup();
    render(
      <StrictMode>
        <TelemetryProvider {...recorder.options}>
          <ExposeClient onClient={(given) => (client = given)} />
          <ConsentDialog />
        </TelemetryProvider>
      </StrictMode>,
    );
    await user.click(screen.getByRole('button', { name: 'Accept' }));
    expect(client?.consent.get()).toBe('granted');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('ConsentDialog and the app destinations', () => {
  const destinations = [
    {
      name: '@acme/ui maintainers',
      transport: { send: async () => ({ status: 200 }) },
      libraries: ['@acme/ui'],
    },
    {
      name: 'Feature research',
      transport: { send: async () => ({ status: 200 }) },
      events: ['feature.use', 'feature.toggle'],
    },
  ];

  it('lists each destination by name with what it receives, before the buttons', async () => {
    const client = recordingTelemetry({ destinations }).create();
    await openDialog(client);
    const dialog = screen.getByRole('dialog', { name: 'Help improve this app?' });
    const list = screen.getByRole('list');
    expect(dialog.contains(list)).toBe(true);
    expect(screen.getByRole('heading', { name: 'Also shared with' })).toBeTruthy();
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      '@acme/ui maintainers: which @acme/ui components are shown',
      'Feature research: feature.use, feature.toggle',
    ]);
    // Listed before the decision buttons, so it is read before them.
    const accept = screen.getByRole('button', { name: 'Accept' });
    expect(list.compareDocumentPosition(accept) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('takes its own wording for what a destination receives', async () => {
    const client = recordingTelemetry({ destinations }).create();
    await openDialog(
      client,
      <ConsentDialog
        labels={{
          sharedWithHeading: 'Aussi partagé avec',
          receives: ({ events }) => `${events.length} type(s) d'événement`,
        }}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Aussi partagé avec' })).toBeTruthy();
    expect(screen.getAllByRole('listitem')[1]?.textContent).toBe(
      "Feature research: 2 type(s) d'événement",
    );
  });

  it('lists nothing without destinations', async () => {
    const client = recordingTelemetry().create();
    await openDialog(client);
    expect(screen.queryByRole('heading', { name: 'Also shared with' })).toBeNull();
  });
});

describe('ConsentDialog with a consent manager deciding', () => {
  it('renders nothing while the manager has not answered, nor after', async () => {
    let answer: (state: 'granted' | 'denied') => void = () => {};
    const client = recordingTelemetry({
      consent: {
        source: {
          name: 'onetrust',
          subscribe(listener) {
            answer = listener;
            return () => {};
          },
        },
      },
    }).create();
    await openDialog(client);
    expect(client.consent.get()).toBe('unknown');
    expect(screen.queryByRole('dialog')).toBeNull();
    act(() => answer('granted'));
    expect(client.consent.get()).toBe('granted');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
