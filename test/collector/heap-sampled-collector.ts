import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import pkg from '../../package.json' with { type: 'json' };

const root = fileURLToPath(new URL('../..', import.meta.url));
// Bundled with esbuild in a second instead of a whole build; .cache/ is git-ignored.
const bin = join(root, '.cache/heap-sampled-server/server.js');

/** The largest memory figures a heap-sampled collector saw, in bytes. */
export interface MemoryPeaks {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  /** The kernel's peak resident size over the process's whole life. */
  maxRss: number;
}

/** A collector running in its own Node process, its memory sampled (heap-sampled-server.ts). */
export interface HeapSampledCollector {
  url: string;
  /** Starts a new sampling window. */
  reset(): Promise<void>;
  /** The peaks since the last `reset()`. */
  peaks(): Promise<MemoryPeaks>;
  /** The exit code, or `null` while the process runs. */
  exitCode(): number | null;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Ends it (stdin closed) and waits for the exit. */
  stop(): Promise<void>;
}

/** Where the child's store is, and its V8 old-space limit. */
export interface HeapSampledOptions {
  dataDir?: string;
  databaseUrl?: string;
  adminToken: string;
  maxOldSpaceMb: number;
}

/** Bundles heap-sampled-server.ts once per process. */
let bundled: Promise<unknown> | undefined;
function bundle(): Promise<unknown> {
  mkdirSync(join(root, '.cache/heap-sampled-server'), { recursive: true });
  bundled ??= build({
    entryPoints: [join(root, 'test/collector/heap-sampled-server.ts')],
    outfile: bin,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    alias: { 'telemetry-kit/wire': join(root, 'src/wire/index.ts') },
    define: { __SDK_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  return bundled;
}

/**
 * Starts the collector in a child `node --max-old-space-size=<maxOldSpaceMb>` over an existing
 * PGlite data directory or PostgreSQL database; resolves once it listens.
 */
export async function startHeapSampledCollector(
  options: HeapSampledOptions,
): Promise<HeapSampledCollector> {
  await bundle();
  const child = spawn(process.execPath, [`--max-old-space-size=${options.maxOldSpaceMb}`, bin], {
    cwd: root,
    env: {
      ...process.env,
      HEAP_SAMPLED_ADMIN_TOKEN: options.adminToken,
      ...(options.databaseUrl ? { HEAP_SAMPLED_DATABASE_URL: options.databaseUrl } : {}),
      ...(options.dataDir ? { HEAP_SAMPLED_DATA_DIR: options.dataDir } : {}),
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await nextLine(lines, child, () => stderr);
  const { url } = JSON.parse(first) as { url: string };
  const ask = async (command: string) => {
    child.stdin.write(`${command}\n`);
    return JSON.parse(await nextLine(lines, child, () => stderr));
  };
  return {
    url,
    reset: async () => {
      await ask('reset');
    },
    peaks: () => ask('peaks') as Promise<MemoryPeaks>,
    exitCode: () => child.exitCode,
    stderr: () => stderr,
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

function nextLine(
  lines: Interface,
  child: ChildProcessWithoutNullStreams,
  stderr: () => string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`the collector exited (${code ?? signal}): ${stderr()}`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      resolve(line);
    });
  });
}
