'use client';
import type { ComponentInfo, Metadata } from 'telemetry-kit';
import { TelemetryContext } from './context.js';
import { useContext, useInsertionEffect } from './reactApi.js';

/**
 * Counts one mount of this component instance, for component-library authors. The core keeps
 * only primitive prop values (variants, sizes, flags; strings scrubbed and truncated) and
 * aggregates equal mounts per flush window into one `component.mount` event with a `count`.
 *
 * With no `TelemetryProvider` above, it does nothing: the library's users opt in, not the
 * library. Re-renders, prop changes, StrictMode's repeated effects and an `<Activity>` hiding
 * and showing the instance do not add mounts: the props of the first mount are the ones counted.
 * Keep the `info` object in a module constant: one allocation less per render.
 *
 * @param name - The component's public name, e.g. `'Button'`.
 * @param props - Props describing the variant; non-primitive values are dropped by the core.
 *   The object is read when the mount is counted, a few milliseconds later: pass a fresh object
 *   (as below), not one that is changed afterwards.
 * @param info - The library's name and version, so adoption can be told apart per release.
 *
 * @example
 * const TRACKING = { library: '@acme/ui', version: '2.1.0' };
 *
 * export function Button({ variant = 'primary', size = 'md', ...rest }: ButtonProps) {
 *   useComponentTracking('Button', { variant, size }, TRACKING);
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
  // An insertion effect, not a passive one: it runs once, when the instance commits (a render
  // that suspends or is discarded never counts), and React neither re-runs it for StrictMode's
  // simulated re-mount nor when an <Activity> shows the instance again, so no ref is needed to
  // count an instance once. It is one hook and one effect per instance, the least a hook that
  // counts commits can cost; it only logs the call (see the core's componentMounted).
  // biome-ignore lint/correctness/useHookAtTopLevel: called on every render of an instance or on none (above)
  // biome-ignore lint/correctness/useExhaustiveDependencies: props of the first mount are counted on purpose
  useInsertionEffect(() => {
    client.componentMounted(name, props, info);
  }, []);
}
