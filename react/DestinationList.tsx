// biome-ignore-all lint/correctness/noUnusedImports: JSX compiles to createElement and Fragment (the classic runtime, below), which the linter does not see
'use client';
import type { DestinationStatus, TelemetryClient } from 'telemetry-kit';
// The classic JSX runtime for the bundlers (esbuild, oxc): createElement(type, props, ...children)
// rather than jsx() and jsxs() with `children` props and a react/jsx-runtime import per module,
// about 70 B gzip less in every page that bundles these components; the elements are the same.
// (tsc reads pragmas only before the directive, so it checks this JSX as configured: same types.)
/** @jsxRuntime classic */
/** @jsx createElement */
/** @jsxFrag Fragment */
import { createElement, Fragment, type ReactNode } from './reactApi.js';

/** "which @acme/ui components are shown": what a destination receives, in the user's terms. */
export const describeDestination = ({ events, libraries }: DestinationStatus): string =>
  events
    .join(', ')
    .replace('component.mount', `which ${libraries?.join(', ') ?? 'UI'} components are shown`);

/**
 * The parties besides the app that receive something (the client's `destinations`), each with
 * what it receives: the consent dialog and the privacy settings both list them, under their
 * `sharedWithHeading` label, each described by their `receives` label.
 */
export function DestinationList({
  client,
  labels,
}: {
  client: TelemetryClient;
  labels: {
    sharedWithHeading: string;
    receives: (destination: DestinationStatus) => string;
  };
}): ReactNode {
  const { destinations } = client.status();
  if (!destinations.length) return null;
  return (
    <>
      <h3 className="tk-destinations__heading">{labels.sharedWithHeading}</h3>
      <ul className="tk-destinations">
        {destinations.map((destination) => (
          <li key={destination.name}>
            <strong>{destination.name}</strong>: {labels.receives(destination)}
          </li>
        ))}
      </ul>
    </>
  );
}
