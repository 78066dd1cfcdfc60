// biome-ignore-all lint/correctness/noUnusedImports: JSX compiles to createElement (the classic runtime, below), which the linter does not see
'use client';
import type { TelemetryClient, TelemetryOptions } from 'telemetry-kit';
import { ClientStartedContext } from './clientStarted.js';
import { TelemetryContext } from './context.js';
import { sharedInertClient } from './inertClient.js';
import { createOwnedClient, type OwnedClient } from './ownedClient.js';
// The classic JSX runtime for the bundlers (esbuild, oxc): createElement(type, props, ...children)
// rather than jsx() and jsxs() with `children` props and a react/jsx-runtime import per module,
// about 70 B gzip less in every page that bundles these components; the elements are the same.
// (tsc reads pragmas only before the directive, so it checks this JSX as configured: same types.)
/** @jsxRuntime classic */
/** @jsx createElement */
import { createElement, type ReactNode, useEffect, useState } from './reactApi.js';

/**
 * Props of `TelemetryProvider`: either a `client` you created (and shut down) yourself, or the
 * options of `createTelemetry` — as props, or as one `options` object — and the provider
 * creates the client after mounting and shuts it down on unmount. Options are read once, on the
 * first mount; give the provider a new `key` to start over with other options.
 */
export type TelemetryProviderProps =
  | { client: TelemetryClient; options?: never; children?: ReactNode }
  | { options: TelemetryOptions; client?: never; children?: ReactNode }
  | (TelemetryOptions & { client?: never; options?: never; children?: ReactNode });

/**
 * Gives its tree a telemetry client. Everything else in `telemetry-kit/react` reads it.
 *
 * With options, the client is created in an effect — never during render, since it installs
 * listeners and timers — so server rendering creates nothing, and StrictMode's double effects
 * keep one client. Calls that children make before it exists (their effects run before the
 * provider's) are queued and replayed, so no mount or page view is lost.
 *
 * @example
 * <TelemetryProvider serviceName="my-app" endpoint="https://collector.example.com/v1/events">
 *   <App />
 *   <ConsentDialog />
 * </TelemetryProvider>
 */
export function TelemetryProvider(props: TelemetryProviderProps): ReactNode {
  const given = props.client;
  // A pure initializer (closures only), so StrictMode calling it twice costs nothing.
  const [owned] = useState<OwnedClient | null>(() =>
    given ? null : createOwnedClient(optionsOf(props)),
  );
  const [started, setStarted] = useState(owned === null);
  useEffect(() => {
    if (!owned) return;
    owned.start();
    setStarted(true);
    return owned.stop;
  }, [owned]);
  // Never null: whether a client is above is fixed for a child's lifetime, which lets
  // useComponentTracking skip its hooks without one. Given a client at first and none later,
  // there is nothing to create (options are read on the first mount only): the inert client.
  const client = given ?? owned?.client ?? sharedInertClient();
  return (
    <TelemetryContext.Provider value={client}>
      <ClientStartedContext.Provider value={started}>
        {props.children}
      </ClientStartedContext.Provider>
    </TelemetryContext.Provider>
  );
}

function optionsOf(props: TelemetryProviderProps): TelemetryOptions {
  const { children: _children, client: _client, options, ...inline } = props;
  return options ?? (inline as TelemetryOptions);
}
