'use client';
import type { Flow, TelemetryClient } from 'telemetry-kit';
import { useEffect, useState } from './reactApi.js';
import { useTelemetry } from './useTelemetry.js';

/**
 * The hook's state, made once per component: the flow it hands out (`handle`, the same object
 * on every render) and `mount`, its effect.
 */
function createFlowScope() {
  let flow: Flow | undefined;
  let startedBy: TelemetryClient | undefined;
  let startedAs: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The open flow, which is no longer open afterwards. */
  const take = () => {
    const open = flow;
    flow = undefined;
    return open;
  };
  const handle: Flow = {
    get id() {
      return flow?.id ?? '';
    },
    end: (outcome, metadata) => take()?.end(outcome, metadata),
    fail: (error, metadata) => take()?.fail(error, metadata),
  };
  const mount = (client: TelemetryClient, name: string) => {
    clearTimeout(timer);
    if (startedBy !== client || startedAs !== name) {
      take()?.end('cancelled');
      flow = client.flow(name);
      startedBy = client;
      startedAs = name;
    }
    return () => {
      timer = setTimeout(() => {
        take()?.end('cancelled');
        startedBy = undefined;
      });
    };
  };
  return { handle, mount };
}

/**
 * A flow that lives as long as the component: started when it mounts, ended as `cancelled` when
 * it unmounts unless `end` or `fail` ended it first (or as `abandoned` when the page goes away).
 * StrictMode's extra unmount and mount in development keep the one flow: the cancel waits a
 * task, and a mount in between takes the flow over. A new `name` ends the flow and starts
 * another. Returns the same object on every render; its `id` is `''` until the first effect.
 *
 * @example
 * const flow = useFlow('checkout');
 * <button onClick={() => pay().then(() => flow.end('success'), flow.fail)}>Pay</button>
 */
export function useFlow(name: string): Flow {
  const client = useTelemetry();
  const [scope] = useState(createFlowScope);
  useEffect(() => scope.mount(client, name), [client, name, scope]);
  return scope.handle;
}
