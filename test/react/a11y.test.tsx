import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { ConsentDialog, PrivacySettings, TelemetryProvider } from 'telemetry-kit/react';
import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach, recordingTelemetry } from './helpers.js';

cleanUpAfterEach();

/** Axe's violations in `element`, as "rule: target" lines that read well in a failure. */
async function violations(element: Element): Promise<string[]> {
  const results = await axe.run(element, {
    resultTypes: ['violations'],
    // jsdom has no layout or canvas, so contrast cannot be measured here; it depends on the
    // app's own stylesheet anyway (the components are unstyled).
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
  );
}

describe('accessibility (axe-core)', () => {
  it('finds no violations in the consent dialog, closed or showing the data', async () => {
    const client = recordingTelemetry().create();
    const user = userEvent.setup();
    const { container } = render(
      <TelemetryProvider client={client}>
        <main>
          <h1>Shop</h1>
        </main>
        <ConsentDialog />
      </TelemetryProvider>,
    );
    expect(await violations(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Show me the data' }));
    expect(await violations(container)).toEqual([]);
  });

  it('finds no violations in the privacy settings, with events listed and after an action', async () => {
    const client = recordingTelemetry({
      transport: { send: async () => ({ status: 0 }) },
    }).create();
    client.consent.grant();
    client.page('/pricing');
    const user = userEvent.setup();
    const { container } = render(
      <TelemetryProvider client={client}>
        <main>
          <h1>Account</h1>
          <PrivacySettings />
        </main>
      </TelemetryProvider>,
    );
    await screen.findByText(/events waiting to be sent/);
    expect(await violations(container)).toEqual([]);
    await user.click(screen.getByRole('switch'));
    await screen.findByText('Nothing is waiting to be sent.');
    expect(await violations(container)).toEqual([]);
  });
});
