// Component tracking: a design-system-like Button mounted 10,000 times, with
// useComponentTracking (under a TelemetryProvider, consent granted), with the hook but no
// provider (a library used by an app that does not use telemetry), and without the hook. A
// reference Button with one empty useEffect and no telemetry shows what React itself charges
// for an effect per instance, the floor of any hook that counts mounts when they commit.
import { createElement as h, useEffect } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { createTelemetry } from 'telemetry-kit';
import { TelemetryProvider, useComponentTracking } from 'telemetry-kit/react';

const VARIANTS = ['primary', 'secondary', 'ghost', 'danger'];
const SIZES = ['sm', 'md', 'lg'];

function className(variant, size, disabled) {
  return `btn btn-${variant} btn-${size}${disabled ? ' btn-disabled' : ''}`;
}

function TrackedButton({ variant = 'primary', size = 'md', disabled = false, children }) {
  useComponentTracking(
    'Button',
    { variant, size, disabled },
    { library: '@acme/ui', version: '2.1.0' },
  );
  return h(
    'button',
    { type: 'button', className: className(variant, size, disabled), disabled },
    children,
  );
}

function PlainButton({ variant = 'primary', size = 'md', disabled = false, children }) {
  return h(
    'button',
    { type: 'button', className: className(variant, size, disabled), disabled },
    children,
  );
}

function noop() {}

function EffectButton({ variant = 'primary', size = 'md', disabled = false, children }) {
  useEffect(noop, []);
  return h(
    'button',
    { type: 'button', className: className(variant, size, disabled), disabled },
    children,
  );
}

const BUTTONS = {
  plain: PlainButton,
  effect: EffectButton,
  tracked: TrackedButton,
  noprovider: TrackedButton,
};

function Grid({ Button, count }) {
  const items = [];
  for (let i = 0; i < count; i++) {
    items.push(
      h(
        Button,
        { key: i, variant: VARIANTS[i % 4], size: SIZES[i % 3], disabled: i % 7 === 0 },
        `Item ${i}`,
      ),
    );
  }
  return h('div', null, items);
}

const client = createTelemetry({
  serviceName: 'bench-app',
  endpoint: `${location.origin}/v1/events`,
});
client.consent.grant();
window.telemetry = client;

const container = document.createElement('div');
document.body.append(container);

let root = null;

/** Mounts `count` buttons of one kind in one synchronous render; returns the milliseconds. */
function mount(kind, count, { keep = false } = {}) {
  unmount();
  root = createRoot(container);
  const Button = BUTTONS[kind];
  const tree = h(Grid, { Button, count });
  const app = kind === 'tracked' ? h(TelemetryProvider, { client }, tree) : tree;
  const start = performance.now();
  flushSync(() => root.render(app));
  const ms = performance.now() - start;
  // Mounts are counted in passive effects; a synchronous render flushes them before returning.
  const queued = client.status().queued;
  if (!keep) unmount();
  return { ms, queued };
}

function unmount() {
  root?.unmount();
  root = null;
}

window.bench = {
  name: 'react',
  readyAt: performance.now(),
  ready: Promise.resolve(),
  mount,
  unmount,
  flush: () => client.flush(),
};
