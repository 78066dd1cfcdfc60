import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import pkg from '../package.json' with { type: 'json' };

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The playground uses the library exactly as an app would, by its public names; the aliases
// point those names at the sources so edits show up without a rebuild.
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^telemetry-kit\/react\/styles\.css$/, replacement: here('../react/styles.css') },
      { find: /^telemetry-kit\/react$/, replacement: here('../react/index.ts') },
      { find: /^telemetry-kit$/, replacement: here('../src/index.ts') },
    ],
  },
  define: { __SDK_VERSION__: JSON.stringify(pkg.version) },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1' },
  build: { outDir: here('dist'), emptyOutDir: true },
});
