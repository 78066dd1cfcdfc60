#!/usr/bin/env node
// `npm start`: builds the collector, runs it on 127.0.0.1 with an embedded PGlite database in
// .data/ (git-ignored), and serves the playground with Vite, pointed at it. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const collectorPort = Number(process.env.COLLECTOR_PORT ?? 8787);
const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? 5173);
const dataDir = join(root, '.data', 'collector');

console.log('Building the library and the collector…');
const built = spawnSync('npx', ['tsup', '--silent'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

mkdirSync(dataDir, { recursive: true });
const playgroundOrigin = `http://127.0.0.1:${playgroundPort}`;
const collector = spawn(
  process.execPath,
  [
    join(root, 'dist', 'collector-cli.js'),
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

const server = await createServer({
  configFile: join(root, 'playground', 'vite.config.ts'),
  server: { port: playgroundPort, strictPort: true, host: '127.0.0.1' },
  define: {
    'import.meta.env.VITE_TELEMETRY_ENDPOINT': JSON.stringify(
      `http://127.0.0.1:${collectorPort}/v1/events`,
    ),
  },
});
await server.listen();

console.log(`
  Playground  ${playgroundOrigin}/
  Dashboard   http://127.0.0.1:${collectorPort}/   (loopback only: no admin token set)
  Events      http://127.0.0.1:${collectorPort}/v1/events
  Data        ${dataDir}
`);

const stop = async () => {
  collector.kill('SIGTERM');
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
collector.on('exit', (code) => {
  if (code !== null && code !== 0) {
    console.error(`The collector exited with code ${code}.`);
    void server.close().then(() => process.exit(code));
  }
});
