// Component tracking: a Button mounted 10,000 times, with useComponentTracking (under a
// TelemetryProvider, consent granted), with the hook but no provider (a library used by an app
// that does not use telemetry), and without the hook.
//
// Two Buttons. The design-system Button is the shadcn/ui pattern, the most common Button in
// React apps today: `forwardRef`, variants resolved by class-variance-authority, classes joined
// by clsx, the rest of the props spread onto the element. (shadcn's `cn` also runs
// tailwind-merge; it is left out, since it would make the Button itself several times dearer
// and the hook's share smaller.) The minimal Button is a function of four props returning a
// <button>: the hook's fixed cost is the largest share of it. A reference Button with one empty
// useEffect and no telemetry shows what React itself charges for an effect per instance, the
// floor of any hook that counts mounts when they commit.
import { cva } from 'class-variance-authority';
import { clsx } from 'clsx';
import { forwardRef, createElement as h, useEffect } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { createTelemetry } from 'telemetry-kit';
import { TelemetryProvider, useComponentTracking } from 'telemetry-kit/react';

const VARIANTS = ['primary', 'secondary', 'ghost', 'danger'];
const SIZES = ['sm', 'md', 'lg'];

// The design-system Button ---------------------------------------------------------------------

const buttonVariants = cva(
  'inline-flex items-center justify-center gap-2 whitespace-nowrap rounded-md text-sm font-medium transition-colors focus-visible:outline-none focus-visible:ring-1 disabled:pointer-events-none disabled:opacity-50',
  {
    variants: {
      variant: {
        primary: 'bg-primary text-primary-foreground shadow hover:bg-primary/90',
        secondary: 'bg-secondary text-secondary-foreground shadow-sm hover:bg-secondary/80',
        ghost: 'hover:bg-accent hover:text-accent-foreground',
        danger: 'bg-destructive text-destructive-foreground shadow-sm hover:bg-destructive/90',
      },
      size: { sm: 'h-8 rounded-md px-3 text-xs', md: 'h-9 px-4 py-2', lg: 'h-10 rounded-md px-8' },
    },
    defaultVariants: { variant: 'primary', size: 'md' },
  },
);

const cn = (...inputs) => clsx(inputs);

const DsPlainButton = forwardRef(function Button({ className, variant, size, ...props }, ref) {
  return h('button', {
    ref,
    type: 'button',
    className: cn(buttonVariants({ variant, size }), className),
    ...props,
  });
});

const DsTrackedButton = forwardRef(function Button({ className, variant, size, ...props }, ref) {
  useComponentTracking(
    'Button',
    { variant, size, disabled: props.disabled === true },
    { library: '@acme/ui', version: '2.1.0' },
  );
  return h('button', {
    ref,
    type: 'button',
    className: cn(buttonVariants({ variant, size }), className),
    ...props,
  });
});

// The minimal Button -------------------------------------------------------------------------

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

/** Each kind: its Button, and whether a provider is above it. */
const KINDS = {
  'ds-plain': [DsPlainButton, false],
  'ds-tracked': [DsTrackedButton, true],
  'ds-noprovider': [DsTrackedButton, false],
  plain: [PlainButton, false],
  tracked: [TrackedButton, true],
  noprovider: [TrackedButton, false],
  effect: [EffectButton, false],
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
  const [Button, provided] = KINDS[kind];
  const tree = h(Grid, { Button, count });
  const app = provided ? h(TelemetryProvider, { client }, tree) : tree;
  // A collected heap (the bench starts Chromium with --expose-gc): no kind pays for the garbage
  // of the one measured before it.
  window.gc?.();
  const start = performance.now();
  flushSync(() => root.render(app));
  const ms = performance.now() - start;
  // Mounts are logged in insertion effects, which run inside the synchronous render;
  // the engine counts the log in a later task.
  const logged = client.status().queued;
  if (!keep) unmount();
  return { ms, logged };
}

function unmount() {
  root?.unmount();
  root = null;
}

window.bench = {
  name: 'react',
  readyAt: performance.now(),
  ready: Promise.resolve(),
  kinds: Object.keys(KINDS),
  mount,
  unmount,
  flush: () => client.flush(),
};
