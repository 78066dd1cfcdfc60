import type { Flow, TelemetryClient } from '../types.js';

/**
 * Runs `work` inside a flow named `name`: the flow ends as `success` when `work` returns (or
 * its promise resolves), and as `failure` with the error captured when it throws (or its promise
 * rejects); the error is rethrown. `work` gets the flow, to capture other errors inside it.
 *
 * @example
 * const rows = await withFlow(telemetry, 'import', async () => parse(await file.text()));
 */
export function withFlow<T>(
  telemetry: Pick<TelemetryClient, 'flow'>,
  name: string,
  work: (flow: Flow) => T,
): T {
  const flow = telemetry.flow(name);
  const fail = (error: unknown): never => {
    flow.fail(error);
    throw error;
  };
  const succeed = (value: T) => {
    flow.end('success');
    return value;
  };
  try {
    const result = work(flow);
    return result instanceof Promise ? (result.then(succeed, fail) as T) : succeed(result);
  } catch (error) {
    // Only `work` can throw here: a flow's calls never do.
    return fail(error);
  }
}
