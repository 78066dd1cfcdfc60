import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runManifestCli } from '../../collector/run-manifest-cli.js';
import pkg from '../../package.json' with { type: 'json' };

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = 'test/collector/fixtures/ui-kit/src/index.tsx';
const SLOW = 60_000;
const scratch = mkdtempSync(join(tmpdir(), 'telemetry-kit-manifest-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** runManifestCli in this process, with what it printed. */
async function runInProcess(
  argv: string[],
  loadTypeScript?: () => Promise<typeof import('typescript') | undefined>,
) {
  let stdout = '';
  let stderr = '';
  const code = await runManifestCli(argv, {
    cwd: root,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    ...(loadTypeScript ? { loadTypeScript } : {}),
  });
  return { code, stdout, stderr };
}

describe('telemetry-kit-manifest, as a process', () => {
  // The bundle `npm run build` makes (tsup.config.ts: ESM, node20, typescript external), made
  // here with esbuild in a second instead of a whole build; .cache/ is git-ignored.
  const bin = join(root, '.cache/manifest-cli-test/manifest-cli.js');
  beforeAll(async () => {
    mkdirSync(join(root, '.cache/manifest-cli-test'), { recursive: true });
    await build({
      entryPoints: [join(root, 'collector/manifest-cli.ts')],
      outfile: bin,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['typescript'],
      alias: { 'telemetry-kit/wire': join(root, 'src/wire/index.ts') },
      define: { __SDK_VERSION__: JSON.stringify(pkg.version) },
      logLevel: 'warning',
    });
  }, SLOW);

  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: root });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('starts with a shebang, so npm can link it as a bin', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it(
    "prints the manifest JSON on stdout, with the nearest package.json's name and version",
    async () => {
      const { code, stdout, stderr } = await run([ENTRY]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const manifest = JSON.parse(stdout);
      expect(manifest).toMatchObject({ library: '@fixture/ui-kit', version: '3.2.1' });
      expect(manifest.components.map((component: { name: string }) => component.name)).toEqual([
        'Badge',
        'Button',
        'Divider',
        'Icon',
        'Input',
        'LegacyPanel',
        'OldButton',
      ]);
    },
    SLOW,
  );

  it(
    'writes the manifest to --out instead, under the name --library gives',
    async () => {
      const out = join(scratch, 'manifest.json');
      const { code, stdout, stderr } = await run([
        ENTRY,
        '--library',
        '@renamed/kit',
        '--out',
        out,
      ]);
      expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
      expect(stderr).toBe(`telemetry-kit-manifest: @renamed/kit, 7 components → ${out}\n`);
      const manifest = JSON.parse(readFileSync(out, 'utf8'));
      expect(manifest).toMatchObject({ library: '@renamed/kit', version: '3.2.1' });
      expect(manifest.components[1]).toEqual({
        name: 'Button',
        props: { disabled: [true, false], level: [1, 2, 3], variant: ['solid', 'outline', 'link'] },
      });
    },
    SLOW,
  );

  it(
    'exits 2 on a command line it cannot use and 1 when there is no manifest, with one line and no stack',
    async () => {
      const usage = await run([]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/^telemetry-kit-manifest: name the library entry/);
      expect(usage.stderr).toContain('Usage: telemetry-kit-manifest <entry .ts | .d.ts>');
      const missing = await run(['missing/index.ts']);
      expect(missing).toEqual({
        code: 1,
        stdout: '',
        stderr: 'telemetry-kit-manifest: no such file: missing/index.ts\n',
      });
      const core = await run(['src/index.ts']);
      expect(core.code).toBe(1);
      expect(core.stderr).toMatch(/exports no React components/);
      expect(core.stderr).not.toMatch(/^\s+at /m);
    },
    SLOW,
  );
});

describe('telemetry-kit-manifest, its command line', () => {
  it('prints its usage for --help', async () => {
    const { code, stdout } = await runInProcess(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--library <name>');
    expect(stdout).toContain('--out <file>');
  });

  it('refuses unknown options and a second entry (exit 2)', async () => {
    expect((await runInProcess([ENTRY, '--bogus'])).code).toBe(2);
    const two = await runInProcess([ENTRY, 'other.ts']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/one entry only; also given: other.ts/);
  });

  it('says how to install TypeScript when it is missing (exit 1)', async () => {
    const { code, stdout, stderr } = await runInProcess([ENTRY], async () => undefined);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      'telemetry-kit-manifest: the typescript package is not installed: npm install --save-dev typescript\n',
    );
  });

  it('says which TypeScript to install when the installed one has no compiler API, as 7 has not (exit 1)', async () => {
    // TypeScript 7's package, as `import('typescript')` gives it: a version and no compiler API.
    const native = { version: '7.0.2' } as unknown as typeof import('typescript');
    const { code, stdout, stderr } = await runInProcess([ENTRY], async () => native);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      'telemetry-kit-manifest: typescript 7.0.2 has no compiler API to read: npm install -D typescript@6\n',
    );
  });

  it(
    'says why it cannot write --out (exit 1)',
    async () => {
      const out = join(scratch, 'no-such-folder', 'manifest.json');
      const { code, stderr } = await runInProcess([ENTRY, '--out', out]);
      expect(code).toBe(1);
      expect(stderr).toBe(`telemetry-kit-manifest: cannot write ${out} (ENOENT)\n`);
    },
    SLOW,
  );
});
