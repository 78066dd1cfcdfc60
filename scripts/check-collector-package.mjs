#!/usr/bin/env node
// Checks both packages as a user gets them: packs each, installs that tarball ALONE into a
// fresh empty directory from the registry, and
// - telemetry-kit-collector: runs its bin on 127.0.0.1 with an in-memory store, posts a valid
//   batch to /v1/events, and reads the event back from GET /v1/stats with the admin token;
// - telemetry-kit: imports it and checks no PGlite (server code) came with it.
// Exits 1 on any failure. Run after `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ORIGIN = 'https://app.example.test';
const ADMIN_TOKEN = 'check-collector-package-admin-token';

/** Runs npm with `args` in `cwd`; throws with its output when it fails. Returns stdout. */
function npm(args, cwd) {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** Packs the package in `dir` into `into`; returns the tarball's path. */
function pack(dir, into) {
  const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', into], dir));
  console.log(
    `${info.name}: ${info.filename}, ${info.size} bytes packed, ${info.unpackedSize} unpacked`,
  );
  return join(into, info.filename);
}

/** A fresh empty directory with only `tarball` installed in it. */
function installAlone(tarball) {
  const dir = mkdtempSync(join(tmpdir(), 'telemetry-kit-install-'));
  npm(['init', '-y'], dir);
  npm(['install', '--no-audit', '--no-fund', tarball], dir);
  return dir;
}

/** Starts the installed collector bin; resolves with its URL and the child process. */
function startCollector(dir) {
  const bin = join(dir, 'node_modules', '.bin', 'telemetry-kit-collector');
  const child = spawn(
    bin,
    [
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      'memory://',
      '--admin-token',
      ADMIN_TOKEN,
      '--allowed-origin',
      ORIGIN,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, url: match[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited (${code}) before listening:\n${output}`));
    });
  });
}

/** Posts one valid batch and checks GET /v1/stats counts it. */
async function checkIngest(url) {
  const now = new Date().toISOString();
  const batch = {
    service_name: 'check-collector-package',
    service_version: '1.0.0',
    sdk: { name: 'telemetry-kit', version: '0.1.0' },
    sent_at: now,
    consent: { policy_version: 1, granted_at: now },
    dropped: {},
    events: [
      {
        id: 'ev_check_package_0001',
        event_type: 'page.view',
        timestamp: now,
        anonymous_id: 'anon_check_package_01',
        session_id: 'sess_check_package_01',
        metadata: { path: '/home' },
        context: {
          path: '/home',
          locale: 'en-GB',
          browser: 'chrome',
          os: 'linux',
          device: 'desktop',
        },
      },
    ],
  };
  const ingest = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN },
    body: JSON.stringify(batch),
  });
  if (!ingest.ok) throw new Error(`POST /v1/events: ${ingest.status} ${await ingest.text()}`);
  const stats = await fetch(`${url}/v1/stats`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  if (!stats.ok) throw new Error(`GET /v1/stats: ${stats.status} ${await stats.text()}`);
  const body = await stats.json();
  if (body?.totals?.events !== 1) {
    throw new Error(`GET /v1/stats counts ${body?.totals?.events} events, expected 1`);
  }
  console.log(`telemetry-kit-collector: ingested and counted one event at ${url}`);
}

async function checkCollector(packs) {
  const dir = installAlone(pack(join(root, 'collector'), packs));
  let child;
  try {
    const started = await startCollector(dir);
    child = started.child;
    await checkIngest(started.url);
  } finally {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkBrowser(packs) {
  const dir = installAlone(pack(root, packs));
  try {
    if (existsSync(join(dir, 'node_modules', '@electric-sql', 'pglite'))) {
      throw new Error('telemetry-kit installed @electric-sql/pglite');
    }
    const probe = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('telemetry-kit'); if (typeof m.createTelemetry !== 'function') process.exit(1);",
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    if (probe.status !== 0) throw new Error(`import('telemetry-kit') failed:\n${probe.stderr}`);
    console.log('telemetry-kit: installs without PGlite and imports');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const packs = mkdtempSync(join(tmpdir(), 'telemetry-kit-packs-'));
try {
  await checkCollector(packs);
  checkBrowser(packs);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rmSync(packs, { recursive: true, force: true });
}
