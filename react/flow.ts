'use client';
/**
 * `telemetry-kit/react/flow`: the React hook for flows, an entry of its own. It reaches the
 * provider's client through `telemetry-kit/react`'s public `useTelemetry` (one context however
 * the entries are bundled), and keeps "core + every React export" inside its size budget.
 *
 * @packageDocumentation
 */
export { useFlow } from './useFlow.js';
