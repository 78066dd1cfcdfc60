import { defineConfig } from 'tsup';
import pkg from './package.json' with { type: 'json' };

const define = { __SDK_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig([
  {
    entry: { index: 'src/index.ts', react: 'react/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'es2020',
    platform: 'browser',
    treeshake: true,
    splitting: true,
    sourcemap: true,
    define,
    // The React entry imports the core by its public name; keep it external so both entries
    // share one core instance at run time instead of each bundling a copy.
    external: ['react', 'react-dom', 'telemetry-kit', 'idb', 'nanoid', 'web-vitals'],
  },
]);
