'use client';
import { useContext, useEffect, useRef } from 'react';
import type { ComponentInfo, Metadata } from 'telemetry-kit';
import { TelemetryContext } from './context.js';

/**
 * Counts one mount of this component instance, for component-library authors. The core keeps
 * only primitive prop values (variants, sizes, flags; strings scrubbed and truncated) and
 * aggregates equal mounts per flush window into one `component.mount` event with a `count`.
 *
 * With no `TelemetryProvider` above, it does nothing: the library's users opt in, not the
 * library. Re-renders, prop changes and StrictMode's repeated effects do not add mounts: the
 * props of the first mount are the ones counted.
 *
 * @param name - The component's public name, e.g. `'Button'`.
 * @param props - Props describing the variant; non-primitive values are dropped by the core.
 * @param info - The library's name and version, so adoption can be told apart per release.
 *
 * @example
 * export function Button({ variant = 'primary', size = 'md', ...rest }: ButtonProps) {
 *   useComponentTracking('Button', { variant, size }, { library: '@acme/ui', version: '2.1.0' });
 *   return <button className={`btn-${variant} btn-${size}`} {...rest} />;
 * }
 */
export function useComponentTracking(name: string, props?: Metadata, info?: ComponentInfo): void {
  const client = useContext(TelemetryContext);
  // Without a provider, one context read is all a library's component pays. Returning before
  // the other hooks keeps their order: whether there is a client is fixed for an instance's
  // lifetime (a provider never gives null, and adding or removing one re-mounts the tree below;
  // see context.ts), so an instance calls them on every render or on none.
  if (!client) return;
  // Survives StrictMode's simulated unmount and re-mount, and an <Activity> hidden and shown
  // again, which re-run the effect of the same instance.
  // biome-ignore lint/correctness/useHookAtTopLevel: called on every render of an instance or on none (above)
  const counted = useRef(false);
  // biome-ignore lint/correctness/useHookAtTopLevel: as useRef above
  // biome-ignore lint/correctness/useExhaustiveDependencies: props of the first mount are counted on purpose
  useEffect(() => {
    if (counted.current) return;
    counted.current = true;
    client.componentMounted(name, props, info);
  }, NO_DEPS);
}

/** Run once per instance. One array for all instances: no allocation per render. */
const NO_DEPS: [] = [];
