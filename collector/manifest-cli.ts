#!/usr/bin/env node
/**
 * `telemetry-kit-manifest`: writes a component library's manifest from its TypeScript entry.
 *
 *   telemetry-kit-manifest src/index.ts --out manifest.json
 *   telemetry-kit-manifest node_modules/@acme/ui/dist/index.d.ts
 */
import { runManifestCli } from './run-manifest-cli.js';

runManifestCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
