'use client';
import { createContext } from './reactApi.js';

/**
 * Whether the client above exists yet. A `TelemetryProvider` given options creates its client
 * in an effect, after the first render; until then its consent reads `unknown` whatever the user
 * decided, so a consent dialog waits rather than flash open for a user who already answered.
 * True where there is nothing to wait for: a client the app passed in, or no provider at all.
 */
export const ClientStartedContext = createContext(true);
