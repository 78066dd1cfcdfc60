// Where Chromium is and how to start it, shared by the browser suite (test/browser) and the
// benchmarks (test/bench, plain .mjs).
import { existsSync } from 'node:fs';

/**
 * Launch flags that work on a closed-network CI machine: without the background-networking
 * flags Chromium keeps trying to reach Google's hosts and its connections are refused.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Finds Chromium from `CHROMIUM_PATH` or the Debian package; throws a clear message if none. */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error(
    'No Chromium found for the browser tests. Install it (Debian: `apt-get install -y chromium`) ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}
