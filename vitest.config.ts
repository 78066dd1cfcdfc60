import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import pkg from './package.json' with { type: 'json' };

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The React adapter imports the core by its public name, as a user would; these aliases point
// the public names at the sources so tests run without a build.
const alias = {
  'telemetry-kit/react/flow': here('./react/flow.ts'),
  'telemetry-kit/react': here('./react/index.ts'),
  'telemetry-kit-collector': here('./collector/index.ts'),
  'telemetry-kit/transports': here('./src/transports.ts'),
  'telemetry-kit/wire': here('./src/wire/index.ts'),
  'telemetry-kit/consent': here('./src/consent/index.ts'),
  'telemetry-kit': here('./src/index.ts'),
};
const define = { __SDK_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig({
  resolve: { alias },
  define,
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'happy-dom',
          setupFiles: ['test/unit/setup.ts'],
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'react',
          environment: 'jsdom',
          include: ['test/react/**/*.test.{ts,tsx}'],
        },
      },
      {
        // The same React suite against React 18, installed on demand into .cache/react18 (git-
        // ignored) by the global setup. Testing Library's CommonJS build would `require` the
        // React 19 in node_modules past these aliases; its ES build, inlined, imports through them.
        extends: true,
        resolve: {
          alias: {
            react: here('./.cache/react18/node_modules/react'),
            'react-dom': here('./.cache/react18/node_modules/react-dom'),
            '@testing-library/react': here(
              './node_modules/@testing-library/react/dist/@testing-library/react.esm.js',
            ),
          },
        },
        test: {
          name: 'react18',
          environment: 'jsdom',
          include: ['test/react/**/*.test.{ts,tsx}'],
          globalSetup: ['scripts/install-react18.mjs'],
          server: { deps: { inline: [/@testing-library\/react/] } },
        },
      },
      {
        extends: true,
        test: {
          name: 'collector',
          environment: 'node',
          include: ['test/collector/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          // One Chromium at a time on a 2-core machine; each test starts its own servers.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
