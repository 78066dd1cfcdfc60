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
  external: [
    'react',
    'react-dom',
    'telemetry-kit',
    'telemetry-kit/react',
    'idb',
    'nanoid',
    'web-vitals',
  ],
};

// nanoid 5 is ESM-only and Node 20 cannot require() ES modules, so the CommonJS build carries
// its own copy (about 130 bytes) rather than break `require('telemetry-kit')` on a server.
const commonjs: Options = {
  ...browser,
  format: ['cjs'],
  splitting: false,
  external: ['react', 'react-dom', 'telemetry-kit', 'telemetry-kit/react', 'idb', 'web-vitals'],
  noExternal: ['nanoid'],
};

// The collector (server code) is its own package, telemetry-kit-collector: collector/tsup.config.ts.
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
  { ...browser, entry: { react: 'react/index.ts', 'react-flow': 'react/flow.ts' } },
  { ...commonjs, entry: { react: 'react/index.ts', 'react-flow': 'react/flow.ts' } },
]);
