import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';
import pkg from './package.json' with { type: 'json' };

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The collector shares the wire module's rules with the browser client: bundled into its build
 * from the sources, so this package needs no sibling at run time. valibot is a dependency of
 * its own, bundled as before; the databases are loaded on demand (PGlite a dependency, pg an
 * optional peer).
 */
const server: Options = {
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  tsconfig: here('../tsconfig.json'),
  define: { __SDK_VERSION__: JSON.stringify(pkg.version) },
  noExternal: ['valibot', 'telemetry-kit/wire'],
  external: ['@electric-sql/pglite', 'pg'],
  esbuildOptions(options) {
    options.alias = { 'telemetry-kit/wire': here('../src/wire/index.ts') };
  },
};

/**
 * OTLP's protobuf decoding (otlp-protobuf.ts with protobufjs and the `long` it requires, about
 * 270 KB unminified) is built once, minified, as dist/otlp-protobuf.cjs, and the server bundles
 * load that file instead of each carrying a copy: the package carries protobufjs once. A
 * CommonJS file, so both the ESM and the CommonJS collector can load it on Node 20.
 */
const OTLP_PROTOBUF_OUTPUT = './otlp-protobuf.cjs';
const sharedOtlpProtobuf: Plugin = {
  name: 'shared-otlp-protobuf',
  setup(build) {
    build.onResolve({ filter: /[/\\]otlp-protobuf\.js$/ }, () => ({
      path: OTLP_PROTOBUF_OUTPUT,
      external: true,
    }));
  },
};

export default defineConfig([
  {
    ...server,
    entry: { index: here('./index.ts') },
    format: ['esm', 'cjs'],
    // The root tsconfig's paths are relative to the repository root; the wire module's types
    // are inlined into the declarations, as its code is into the bundle.
    dts: { resolve: ['telemetry-kit/wire'], compilerOptions: { baseUrl: here('..') } },
    esbuildPlugins: [sharedOtlpProtobuf],
  },
  {
    ...server,
    entry: { cli: here('./cli.ts') },
    format: ['esm'],
    esbuildPlugins: [sharedOtlpProtobuf],
  },
  {
    ...server,
    entry: { 'otlp-protobuf': here('./otlp-protobuf.ts') },
    format: ['cjs'],
    noExternal: ['protobufjs', 'long'],
    minify: true,
    sourcemap: false,
  },
  // The compiler is an optional peer, imported only when the manifest CLI runs.
  {
    ...server,
    entry: { 'manifest-cli': here('./manifest-cli.ts') },
    format: ['esm'],
    external: ['typescript'],
  },
]);
