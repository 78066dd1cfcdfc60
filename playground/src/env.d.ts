/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Where the playground sends events; `npm start` sets it to the local collector. */
  readonly VITE_TELEMETRY_ENDPOINT?: string;
  /** The acme-ui maintainers' collector (a destination); `npm start` runs a second one. */
  readonly VITE_ACME_TELEMETRY_ENDPOINT?: string;
}
