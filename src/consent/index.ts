/**
 * telemetry-kit/consent: the app's existing consent manager decides. Each export is a
 * `ConsentSource` for `createTelemetry({ consent: { source } })`, read-only towards the manager,
 * loaded only by apps that import it.
 *
 * @packageDocumentation
 */
export { type CookiebotOptions, fromCookiebot } from './fromCookiebot.js';
export { fromGoogleConsentMode, type GoogleConsentModeOptions } from './fromGoogleConsentMode.js';
export { fromGpp, type GppOptions } from './fromGpp.js';
export { fromOneTrust, type OneTrustOptions } from './fromOneTrust.js';
export { fromTcf, type TcfOptions } from './fromTcf.js';
export { fromUsercentrics, type UsercentricsOptions } from './fromUsercentrics.js';
export type { SourceOptions } from './lib/createConsentSource.js';
