'use client';
/**
 * React bindings of telemetry-kit: a provider, hooks, the opt-in dialog and the end user's
 * privacy settings. A thin adapter: every decision (consent, scrubbing, aggregation, delivery)
 * is the core's.
 *
 * @packageDocumentation
 */
export {
  ConsentDialog,
  type ConsentDialogLabels,
  type ConsentDialogProps,
  defaultConsentDialogLabels,
} from './ConsentDialog.js';
export {
  defaultPrivacySettingsLabels,
  PrivacySettings,
  type PrivacySettingsLabels,
  type PrivacySettingsProps,
} from './PrivacySettings.js';
export { TelemetryProvider, type TelemetryProviderProps } from './provider.js';
export {
  type ErrorFallbackProps,
  TelemetryErrorBoundary,
  type TelemetryErrorBoundaryProps,
} from './TelemetryErrorBoundary.js';
export { useComponentTracking } from './useComponentTracking.js';
export { type ConsentControls, useConsent } from './useConsent.js';
export { useFeatureToggle } from './useFeatureToggle.js';
export { usePageView } from './usePageView.js';
export { useTelemetry } from './useTelemetry.js';
