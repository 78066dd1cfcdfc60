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
  const counted = useRef(false);
  // Rules of hooks: the effect is always declared. Keyed on the client alone, so prop changes
  // never re-run it; `counted` survives StrictMode's simulated unmount and re-mount.
  // biome-ignore lint/correctness/useExhaustiveDependencies: props of the first mount are counted on purpose
  useEffect(() => {
    if (!client || counted.current) return;
    counted.current = true;
    client.componentMounted(name, props, info);
  }, [client]);
}
