// biome-ignore-all lint/correctness/noUnusedImports: JSX compiles to createElement (the classic runtime, below), which the linter does not see
'use client';
import type { TelemetryClient } from 'telemetry-kit';
import { TelemetryContext } from './context.js';
// The classic JSX runtime for the bundlers (esbuild, oxc): createElement(type, props, ...children)
// rather than jsx() and jsxs() with `children` props and a react/jsx-runtime import per module,
// about 70 B gzip less in every page that bundles these components; the elements are the same.
// (tsc reads pragmas only before the directive, so it checks this JSX as configured: same types.)
/** @jsxRuntime classic */
/** @jsx createElement */
import {
  Component,
  createElement,
  type ErrorInfo,
  type ReactNode,
  useContext,
} from './reactApi.js';

/** What a `fallback` render function receives. */
export interface ErrorFallbackProps {
  error: unknown;
  /** Renders the children again (after the cause is fixed, or to retry). */
  reset: () => void;
}

/** Props of `TelemetryErrorBoundary`. */
export interface TelemetryErrorBoundaryProps {
  children?: ReactNode;
  /**
   * Rendered instead of the children after an error. Without one, the error is recorded and
   * thrown on to the next error boundary above, so this can wrap an app that has its own.
   */
  fallback?: ReactNode | ((props: ErrorFallbackProps) => ReactNode);
}

/** What the boundary caught: boxed, since anything can be thrown, `undefined` included. */
interface BoundaryState {
  caught: { error: unknown } | null;
}

/**
 * Records render errors of its children as `error` events (`source: 'boundary'`, with the
 * component stack reduced by the core to `component_stack_hash`) and renders `fallback`.
 *
 * @example
 * <TelemetryErrorBoundary fallback={({ reset }) => <button onClick={reset}>Try again</button>}>
 *   <Dashboard />
 * </TelemetryErrorBoundary>
 */
export function TelemetryErrorBoundary(props: TelemetryErrorBoundaryProps): ReactNode {
  // A function around the class: a class with a static `contextType` assignment is a module
  // side effect that bundlers keep even in apps that never render a boundary.
  return <ErrorBoundaryWithClient {...props} client={useContext(TelemetryContext)} />;
}

/** A class because React offers error boundaries only as class components. */
class ErrorBoundaryWithClient extends Component<
  TelemetryErrorBoundaryProps & { client: TelemetryClient | null },
  BoundaryState
> {
  override state: BoundaryState = { caught: null };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { caught: { error } };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The core keeps only a hash of the component stack (`component_stack_hash`), never its text.
    this.props.client?.captureError(error, undefined, {
      source: 'boundary',
      componentStack: info.componentStack ?? '',
    });
    if (this.props.fallback === undefined) {
      // Recorded; now the error is the app's. An error thrown while this boundary updates goes
      // to the boundary above it, as if this one were not there.
      this.setState(() => {
        throw error;
      });
    }
  }

  override render(): ReactNode {
    const { caught } = this.state;
    const { children, fallback } = this.props;
    if (!caught) return children;
    return typeof fallback === 'function'
      ? fallback({ error: caught.error, reset: () => this.setState({ caught: null }) })
      : fallback;
  }
}
