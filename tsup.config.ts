import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';
import pkg from './package.json' with { type: 'json' };

const browser: Options = {
  format: ['esm'],
  dts: true,
  target: 'es2020',
  platform: 'browser',
  sourcemap: true,
  splitting: true,
  define: { __SDK_VERSION__: JSON.stringify(pkg.version) },
  // The React entry imports the core by its public name; keeping it external gives both entries
  // one shared core at run time instead of two copies.
  external: ['react', 'react-dom', 'telemetry-kit', 'idb', 'nanoid', 'web-vitals'],
};

// nanoid 5 is ESM-only and Node 20 cannot require() ES modules, so the CommonJS build carries
// its own copy (about 130 bytes) rather than break `require('telemetry-kit')` on a server.
/**
 * The collector shares the wire module's rules with the browser client: bundled into its build
 * from the sources, so the server package needs no sibling at run time.
 */
const server: Options = {
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  define: { __SDK_VERSION__: JSON.stringify(pkg.version) },
  noExternal: ['valibot', 'telemetry-kit/wire'],
  external: ['@electric-sql/pglite', 'pg'],
  esbuildOptions(options) {
    options.alias = { 'telemetry-kit/wire': './src/wire/index.ts' };
  },
};

/**
 * OTLP's protobuf decoding (collector/otlp-protobuf.ts with protobufjs and the `long` it
 * requires, about 270 KB unminified) is built once, minified, as dist/otlp-protobuf.cjs, and
 * the three server bundles load that file instead of each carrying a copy: the collector keeps
 * no runtime dependency of its own, and the package carries protobufjs once. A CommonJS file,
 * so both the ESM and the CommonJS collector can load it on Node 20.
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

const commonjs: Options = {
  ...browser,
  format: ['cjs'],
  splitting: false,
  external: ['react', 'react-dom', 'telemetry-kit', 'idb', 'web-vitals'],
  noExternal: ['nanoid'],
};

export default defineConfig([
  // One build for both browser entries: the engine chunk and the transports entry share the
  // fetch transport's chunk, which the core entry does not load up front. The consent sources
  // import only types from the core, so their entry shares no code with it.
  {
    ...browser,
    entry: {
      index: 'src/index.ts',
      transports: 'src/transports.ts',
      wire: 'src/wire/index.ts',
      consent: 'src/consent/index.ts',
    },
  },
  {
    ...commonjs,
    entry: {
      index: 'src/index.ts',
      transports: 'src/transports.ts',
      wire: 'src/wire/index.ts',
      consent: 'src/consent/index.ts',
    },
  },
  // react/index.ts starts with 'use client' (the client boundary for React Server Components
  // bundlers such as Next.js App Router); esbuild keeps an entry's directive in the output.
  { ...browser, entry: { react: 'react/index.ts' } },
  { ...commonjs, entry: { react: 'react/index.ts' } },
  // The schema and protobuf libraries are bundled so the collector adds no runtime dependency for browser users;
  // the databases are optional peers, loaded on demand.
  {
    ...server,
    entry: { collector: 'collector/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    esbuildPlugins: [sharedOtlpProtobuf],
  },
  {
    ...server,
    entry: { 'collector-cli': 'collector/cli.ts' },
    format: ['esm'],
    esbuildPlugins: [sharedOtlpProtobuf],
  },
  {
    ...server,
    entry: { 'otlp-protobuf': 'collector/otlp-protobuf.ts' },
    format: ['cjs'],
    noExternal: ['protobufjs', 'long'],
    minify: true,
    sourcemap: false,
  },
  // The compiler is an optional peer, imported only when the manifest CLI runs.
  {
    ...server,
    entry: { 'manifest-cli': 'collector/manifest-cli.ts' },
    format: ['esm'],
    external: ['typescript'],
  },
]);
