import { ConsentDialog, TelemetryErrorBoundary, usePageView } from 'telemetry-kit/react';
import { ComponentsPage } from './pages/ComponentsPage';
import { ErrorsPage } from './pages/ErrorsPage';
import { HomePage } from './pages/HomePage';
import { PrivacyPage } from './pages/PrivacyPage';
import { navigate, usePath } from './router';

const routes = [
  { path: '/', label: 'Home', page: HomePage },
  { path: '/components', label: 'Components', page: ComponentsPage },
  { path: '/errors', label: 'Errors', page: ErrorsPage },
  { path: '/privacy', label: 'Privacy', page: PrivacyPage },
];

export function App() {
  const path = usePath();
  usePageView(path);
  const route = routes.find((candidate) => candidate.path === path) ?? routes[0]!;
  const Page = route.page;
  return (
    <div className="layout">
      <header className="topbar">
        <strong className="brand">telemetry-kit playground</strong>
        <nav aria-label="Pages">
          {routes.map((item) => (
            <a
              key={item.path}
              href={item.path}
              aria-current={item.path === route.path ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                navigate(item.path);
              }}
            >
              {item.label}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <TelemetryErrorBoundary
          fallback={({ reset }: { reset: () => void }) => (
            <div role="alert" className="crash">
              <p>This page crashed. The error was recorded (class, scrubbed message, hash).</p>
              <button type="button" onClick={reset}>
                Try again
              </button>
            </div>
          )}
        >
          <Page />
        </TelemetryErrorBoundary>
      </main>
      <ConsentDialog />
    </div>
  );
}
