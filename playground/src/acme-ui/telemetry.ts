import type { DestinationOptions } from 'telemetry-kit';
import { library } from './meta';

/**
 * What acme-ui would publish as `acme-ui/telemetry`: the destination an app owner adds so that
 * acme-ui's maintainers learn which of their components this app uses (see
 * docs/library-authors.md). The endpoint is their collector; `npm start` runs one locally.
 */
export const acmeTelemetry = (endpoint: string): DestinationOptions => ({
  name: 'acme-ui maintainers',
  endpoint,
  libraries: [library.library],
});
