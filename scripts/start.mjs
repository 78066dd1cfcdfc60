#!/usr/bin/env node
// `npm start`: runs the reference collector on 127.0.0.1 with an embedded PGlite database in
// .data/ (git-ignored) and serves the playground with Vite, pointed at it. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createServer } from 'vite';

/** The preferred port if it is free, else any free one: two checkouts can run side by side. */
function freePort(preferred) {
  return new Promise((done) => {
    const probe = createNetServer();
    probe.once('error', () => {
      const any = createNetServer();
      any.listen(0, '127.0.0.1', () => {
        const { port } = any.address();
        any.close(() => done(port));
      });
    });
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => done(preferred)));
  });
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const collectorPort = await freePort(Number(process.env.COLLECTOR_PORT ?? 8787));
const playgroundPort = await freePort(Number(process.env.PLAYGROUND_PORT ?? 5173));
const dataDir = join(root, '.data', 'collector');
const cli = join(root, '.cache', 'start', 'collector-cli.mjs');

// The same bundle `npm run build` makes, without the type declarations that take a minute.
await build({
  entryPoints: [join(root, 'collector', 'cli.ts')],
  outfile: cli,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

mkdirSync(dataDir, { recursive: true });
const playgroundOrigin = `http://127.0.0.1:${playgroundPort}`;
const collectorUrl = `http://127.0.0.1:${collectorPort}`;
const collector = spawn(
  process.execPath,
  [
    cli,
    '--host',
    '127.0.0.1',
    '--port',
    String(collectorPort),
    '--data-dir',
    dataDir,
    '--allowed-origin',
    playgroundOrigin,
    '--allowed-origin',
    `http://localhost:${playgroundPort}`,
  ],
  { cwd: root, stdio: 'inherit' },
);
collector.on('exit', (code) => {
  console.error(`The collector stopped (exit code ${code}).`);
  process.exit(code || 1);
});
// Whatever ends this process ends the collector too.
process.on('exit', () => collector.kill('SIGTERM'));

// Wait until the collector answers before pointing anyone at it.
for (let attempt = 0; ; attempt++) {
  try {
    await fetch(`${collectorUrl}/`, { signal: AbortSignal.timeout(1_000) });
    break;
  } catch {
    if (attempt > 150) {
      console.error(`The collector did not answer on ${collectorUrl} within 30 s.`);
      collector.kill();
      process.exit(1);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

const server = await createServer({
  configFile: join(root, 'playground', 'vite.config.ts'),
  server: { port: playgroundPort, strictPort: true, host: '127.0.0.1' },
  define: {
    'import.meta.env.VITE_TELEMETRY_ENDPOINT': JSON.stringify(`${collectorUrl}/v1/events`),
  },
});
await server.listen();

console.log(`
  Playground  ${playgroundOrigin}/
  Dashboard   ${collectorUrl}/   (loopback only: no admin token set)
  Events      ${collectorUrl}/v1/events
  Data        ${dataDir}
`);

const stop = async () => {
  collector.removeAllListeners('exit');
  collector.kill('SIGTERM');
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
