#!/usr/bin/env node
// `npm start`: runs two reference collectors on 127.0.0.1, each with an embedded PGlite database
// in .data/ (git-ignored) — the playground app's own, and the acme-ui maintainers' (a
// destination the app adds) — and serves the playground with Vite, pointed at both. Ctrl-C
// stops everything.
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
const acmePort = await freePort(Number(process.env.ACME_COLLECTOR_PORT ?? 8788));
const playgroundPort = await freePort(Number(process.env.PLAYGROUND_PORT ?? 5173));
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

const playgroundOrigin = `http://127.0.0.1:${playgroundPort}`;
const origins = [playgroundOrigin, `http://localhost:${playgroundPort}`];

/** Starts one collector from the CLI bundle and resolves once it answers. */
async function startCollector(name, port, dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      cli,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      ...origins.flatMap((origin) => ['--allowed-origin', origin]),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  child.on('exit', (code) => {
    console.error(`The ${name} collector stopped (exit code ${code}).`);
    process.exit(code || 1);
  });
  // Whatever ends this process ends the collector too.
  process.on('exit', () => child.kill('SIGTERM'));
  // Wait until it answers before pointing anyone at it.
  for (let attempt = 0; ; attempt++) {
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1_000) });
      return { child, url, dataDir };
    } catch {
      if (attempt > 150) {
        console.error(`The ${name} collector did not answer on ${url} within 30 s.`);
        child.kill();
        process.exit(1);
      }
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}

const [app, acme] = await Promise.all([
  startCollector('app', collectorPort, join(root, '.data', 'collector')),
  startCollector('acme-ui', acmePort, join(root, '.data', 'acme-collector')),
]);

const server = await createServer({
  configFile: join(root, 'playground', 'vite.config.ts'),
  server: { port: playgroundPort, strictPort: true, host: '127.0.0.1' },
  define: {
    'import.meta.env.VITE_TELEMETRY_ENDPOINT': JSON.stringify(`${app.url}/v1/events`),
    'import.meta.env.VITE_ACME_TELEMETRY_ENDPOINT': JSON.stringify(`${acme.url}/v1/events`),
  },
});
await server.listen();

console.log(`
  Playground          ${playgroundOrigin}/
  App dashboard       ${app.url}/   (loopback only: no admin token set)
  acme-ui dashboard   ${acme.url}/   (the library maintainers' collector, a destination)
  Events              ${app.url}/v1/events, ${acme.url}/v1/events
  Data                ${app.dataDir}, ${acme.dataDir}
`);

const stop = async () => {
  for (const { child } of [app, acme]) {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
  }
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
