'use client';
import type { Flow, TelemetryClient } from 'telemetry-kit';
import { useTelemetry } from 'telemetry-kit/react';
import { useInsertionEffect, useState } from './reactApi.js';

/**
 * The hook's state, made once per component: the flow it hands out (`handle`, the same object
 * on every render, whose `end` or `fail` reaches the open flow once) and `mount`, its effect.
 */
function createFlowScope() {
  let flow: Flow | undefined;
  let open = false;
  /** Ends the open flow with `end`; does nothing once it has ended. */
  const settle = (end: (flow: Flow) => void) => {
    if (open && flow) end(flow);
    open = false;
  };
  const handle: Flow = {
    get id() {
      return flow?.id ?? '';
    },
    end: (outcome, metadata) => settle((open) => open.end(outcome, metadata)),
    fail: (error, metadata) => settle((open) => open.fail(error, metadata)),
  };
  const mount = (client: TelemetryClient, name: string) => {
    flow = client.flow(name);
    open = true;
    return () => settle((open) => open.end('cancelled'));
  };
  return { handle, mount };
}

/**
 * A flow that lives as long as the component: started when it mounts, ended as `cancelled` when
 * it unmounts unless `end` or `fail` ended it first (or as `abandoned` when the page goes away).
 * A new `name` ends the flow as `cancelled` and starts another. Returns the same object on
 * every render; read its `id` in handlers, not while rendering: it is `''` until the component
 * has committed. Import it from `telemetry-kit/react/flow`.
 *
 * Started in an insertion effect, as `useComponentTracking` counts mounts: it runs when the
 * instance commits (a render that suspends or is discarded starts nothing), and React re-runs it
 * neither for StrictMode's simulated re-mount nor when an `<Activity>` shows the instance again,
 * so StrictMode starts one flow, not two.
 *
 * @example
 * const flow = useFlow('checkout');
 * <button onClick={() => pay().then(() => flow.end('success'), flow.fail)}>Pay</button>
 */
export function useFlow(name: string): Flow {
  const client = useTelemetry();
  const [scope] = useState(createFlowScope);
  useInsertionEffect(() => scope.mount(client, name), [client, name, scope]);
  return scope.handle;
}
