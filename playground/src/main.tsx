import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TelemetryProvider } from 'telemetry-kit/react';
import { App } from './App';
import { acmeTelemetry } from './acme-ui/telemetry';
// The library's optional stylesheet for its dialog and settings (unstyled without it).
import 'telemetry-kit/react/styles.css';
import './styles.css';

const endpoint = import.meta.env.VITE_TELEMETRY_ENDPOINT ?? 'http://127.0.0.1:8787/v1/events';
// The acme-ui maintainers' collector, a destination the app owner chose to add.
const acmeEndpoint = import.meta.env.VITE_ACME_TELEMETRY_ENDPOINT;

createRoot(document.getElementById('root')!).render(
  // StrictMode on purpose: its double effects must not double-count anything.
  <StrictMode>
    <TelemetryProvider
      endpoint={endpoint}
      serviceName="playground"
      serviceVersion="0.1.0"
      consent={{ policyVersion: 1 }}
      destinations={acmeEndpoint ? [acmeTelemetry(acmeEndpoint)] : []}
      captureErrors
      webVitals
      flushIntervalMs={2_000}
      debug
    >
      <App />
    </TelemetryProvider>
  </StrictMode>,
);
