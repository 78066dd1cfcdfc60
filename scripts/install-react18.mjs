#!/usr/bin/env node
/**
 * Installs React 18 into `.cache/react18/node_modules` (git-ignored) so that the React suite
 * runs against React 18 as well as the React 19 of the main node_modules: the `react18` vitest
 * project aliases `react` and `react-dom` there. Does nothing when it is already installed.
 *
 * Runs as a script (`node scripts/install-react18.mjs`) or as that project's `globalSetup`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const prefix = fileURLToPath(new URL('../.cache/react18/', import.meta.url));

export default function installReact18() {
  if (existsSync(`${prefix}node_modules/react-dom/package.json`)) return;
  mkdirSync(prefix, { recursive: true });
  // A package.json of its own keeps npm from walking up to the project's package.json and lockfile.
  writeFileSync(`${prefix}package.json`, '{ "private": true }\n');
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      // Pinned: the suite must mean the same thing on every machine.
      'react@18.3.1',
      'react-dom@18.3.1',
    ],
    { stdio: 'inherit' },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) installReact18();
