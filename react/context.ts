'use client';
import type { TelemetryClient } from 'telemetry-kit';
import { createContext } from './reactApi.js';

/**
 * The client a `TelemetryProvider` above gives its tree, or null without one. A provider never
 * gives null, and adding or removing one above a component re-mounts the component, so a
 * mounted component has a client for its whole lifetime or never (`useComponentTracking`
 * relies on it). Kept in a module of its own, importing only a type from the core, so that a
 * component library whose only import is `useComponentTracking` pulls in a few hundred bytes
 * and never `createTelemetry`.
 */
export const TelemetryContext = createContext<TelemetryClient | null>(null);
