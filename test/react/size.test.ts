// @vitest-environment node
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** Bundles `code` as an app would (minified, tree-shaken, the core resolved from source). */
async function bundle(code: string, external: string[]) {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
    external,
    // The core from source unless it is external (an alias would win over `external`).
    alias: external.includes('telemetry-kit') ? {} : { 'telemetry-kit': `${root}src/index.ts` },
    define: { __SDK_VERSION__: '"0.0.0"' },
  });
  const text = result.outputFiles[0]?.text ?? '';
  return { text, gzip: gzipSync(text).length };
}

describe('size', () => {
  it('keeps a bundle that imports only useComponentTracking under 1.5 KB gzip, without the core', async () => {
    const { text, gzip } = await bundle(
      `export { useComponentTracking } from '${root}react/index.ts';`,
      ['react', 'react-dom'],
    );
    expect(gzip).toBeLessThan(1536);
    // None of the client: no createTelemetry, no queue, no transport.
    expect(text).not.toMatch(/sendBeacon|indexedDB|keepalive/);
  });

  it('keeps the whole telemetry-kit/react entry under 4 KB gzip (the core external, as published)', async () => {
    const { gzip } = await bundle(`export * from '${root}react/index.ts';`, [
      'react',
      'react-dom',
      'telemetry-kit',
    ]);
    expect(gzip).toBeLessThan(4 * 1024);
  });
});
