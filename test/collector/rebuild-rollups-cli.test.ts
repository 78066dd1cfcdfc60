import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createCollector, createPgliteStore } from 'telemetry-kit-collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { exampleEvents } from './example-dataset.js';
import { rollupRowCount } from './fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SLOW = 60_000;
const ORIGIN = { service_name: 'demo-app', service_version: '1.2.0', consent_policy_version: 1 };
const scratch = mkdtempSync(join(tmpdir(), 'telemetry-kit-rebuild-rollups-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ROWS = `SELECT to_char(day, 'YYYY-MM-DD') AS day, service_name, anonymous_id, events
  FROM telemetry_rollup_daily_subjects ORDER BY 1, 2, 3`;

describe('rebuilding the rollups', () => {
  it(
    'collector.rebuildRollups() rebuilds the store’s rollups from its events',
    async () => {
      const store = await createPgliteStore();
      await store.insertBatch(ORIGIN, exampleEvents(Date.now()), {});
      const kept = await store.database.query(ROWS);
      const written = await rollupRowCount(store);
      await store.database.query('DELETE FROM telemetry_rollup_daily_subjects');
      const collector = createCollector({ store, rateLimit: false });
      expect(await collector.rebuildRollups()).toBe(written);
      expect(await store.database.query(ROWS)).toEqual(kept);
      await collector.close();
      await store.close();
    },
    SLOW,
  );

  describe('telemetry-kit-collector rebuild-rollups, as a process', () => {
    // The CLI bundled with esbuild in a second instead of a whole build; .cache/ is git-ignored.
    const bin = join(root, '.cache/rebuild-rollups-test/cli.js');
    beforeAll(async () => {
      mkdirSync(join(root, '.cache/rebuild-rollups-test'), { recursive: true });
      await build({
        entryPoints: [join(root, 'collector/cli.ts')],
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
    }, SLOW);

    it(
      'rebuilds the rollups of a PGlite data directory and exits 0',
      async () => {
        const dataDir = join(scratch, 'data');
        const store = await createPgliteStore({ dataDir });
        await store.insertBatch(ORIGIN, exampleEvents(Date.now()), {});
        const kept = await store.database.query(ROWS);
        const written = await rollupRowCount(store);
        await store.database.query('DELETE FROM telemetry_rollup_daily_subjects');
        await store.close();

        const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
          (resolve, reject) => {
            const child = spawn(process.execPath, [bin, 'rebuild-rollups', '--data-dir', dataDir], {
              cwd: root,
            });
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
          },
        );
        expect(result).toEqual({
          code: 0,
          stdout: `telemetry-kit-collector: rollups rebuilt (${written} rows)\n`,
          stderr: '',
        });
        const reopened = await createPgliteStore({ dataDir });
        expect(await reopened.database.query(ROWS)).toEqual(kept);
        await reopened.close();
      },
      SLOW,
    );
  });
});
