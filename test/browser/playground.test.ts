import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import {
  type CollectorStats,
  createCollector,
  createPgliteStore,
  listen,
  type RunningServer,
} from 'telemetry-kit-collector';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';

/**
 * The playground as a user meets it: built with Vite, served from one origin, sending to the
 * reference collector on another. Screenshots of the dialog, its "show me the data" view and
 * the privacy page go to artifacts/ (git-ignored) for a person to look at.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, '.cache', 'playground-e2e');
const artifacts = join(root, 'artifacts');
const TOKEN = 'playground-test-token';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

let site: Server;
let siteOrigin: string;
let collector: RunningServer;
/** The acme-ui maintainers' collector: the playground adds it as a destination. */
let acmeCollector: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The page's origin must be known before the collector allows it, and the collector's URL
  // before the app is built: serve first, build last.
  site = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const file = join(outDir, path);
    // A single-page app: unknown paths get index.html, as any static host is set up to do.
    const target =
      file.startsWith(outDir) && existsSync(file) && extname(file)
        ? file
        : join(outDir, 'index.html');
    response.writeHead(200, {
      'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
    });
    response.end(readFileSync(target));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

  const [store, acmeStore] = await Promise.all([createPgliteStore(), createPgliteStore()]);
  collector = await listen(
    createCollector({ store, allowedOrigins: [siteOrigin], adminToken: TOKEN, rateLimit: false }),
    { port: 0 },
  );
  acmeCollector = await listen(
    createCollector({
      store: acmeStore,
      allowedOrigins: [siteOrigin],
      adminToken: TOKEN,
      rateLimit: false,
    }),
    { port: 0 },
  );
  await build({
    configFile: join(root, 'playground', 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
    define: {
      'import.meta.env.VITE_TELEMETRY_ENDPOINT': JSON.stringify(`${collector.url}/v1/events`),
      'import.meta.env.VITE_ACME_TELEMETRY_ENDPOINT': JSON.stringify(
        `${acmeCollector.url}/v1/events`,
      ),
    },
  });
  mkdirSync(artifacts, { recursive: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
  await acmeCollector?.close();
  await new Promise((resolve) => site?.close(resolve));
});

async function stats(server: RunningServer = collector): Promise<CollectorStats> {
  const response = await fetch(`${server.url}/v1/stats`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return (await response.json()) as CollectorStats;
}

const nav = (page: Page, name: string) =>
  page.getByRole('navigation').getByRole('link', { name }).click();

describe('the playground', () => {
  it('asks first, sends nothing before the answer, and shows up in the collector after it', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const toCollector: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(collector.url) || request.url().startsWith(acmeCollector.url))
        toCollector.push(request.method());
    });

    await page.goto(siteOrigin);
    const dialog = page.getByRole('dialog');
    await expect(dialog.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(artifacts, 'playground-consent-dialog.png') });
    // The dialog names the destination and what it receives.
    await expect(dialog.getByText('acme-ui maintainers').isVisible()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Show me the data' }).click();
    // The example is built by the delivery chunk, which the click fetches: wait for it.
    await dialog.getByText('"event_type": "page.view"').waitFor();
    await page.screenshot({
      path: join(artifacts, 'playground-show-me-the-data.png'),
      fullPage: true,
    });
    // Clicking around while undecided: nothing may leave the page.
    await nav(page, 'Components');
    await nav(page, 'Home');
    expect(toCollector).toEqual([]);

    await dialog.getByRole('button', { name: 'Accept' }).click();
    await expect(dialog.count()).resolves.toBe(0);
    await page.getByLabel('Dark mode').check();
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByRole('button', { name: 'Export that succeeds' }).click();
    await page.getByText('Export finished.').waitFor();
    await page.getByRole('button', { name: 'Export that fails' }).click();
    await page.getByText('Export failed.').waitFor();
    await page.screenshot({ path: join(artifacts, 'playground-home.png'), fullPage: true });
    await nav(page, 'Components');
    await nav(page, 'Privacy');
    await page.getByRole('switch').waitFor();
    await page.screenshot({ path: join(artifacts, 'playground-privacy.png'), fullPage: true });

    // The playground flushes every 2 s.
    let seen: CollectorStats | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      seen = await stats();
      if (
        seen.components.some((row) => row.component === 'Button' && row.mounts >= 40) &&
        seen.pages.some((row) => row.path === '/privacy')
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(seen?.pages.map((row) => row.path)).toEqual(
      expect.arrayContaining(['/', '/components', '/privacy']),
    );
    expect(seen?.features).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ feature: 'dark-mode', toggled_on: 1 }),
        expect.objectContaining({ feature: 'export', uses: 1 }),
      ]),
    );
    const button = seen?.components.find((row) => row.component === 'Button');
    expect(button).toMatchObject({ library: 'acme-ui', version: '1.4.0' });

    // The maintainers' collector: acme-ui's mounts, under the app's service name, nothing else.
    let shared: CollectorStats | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      shared = await stats(acmeCollector);
      if (shared.components.some((row) => row.component === 'Button' && row.mounts >= 40)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(shared?.components.length).toBeGreaterThan(0);
    expect(new Set(shared?.components.map((row) => row.library))).toEqual(new Set(['acme-ui']));
    expect(shared?.components.find((row) => row.component === 'Button')?.mounts).toBe(
      button?.mounts,
    );
    expect(shared?.pages).toEqual([]);
    expect(shared?.features).toEqual([]);
    expect(errors).toEqual([]);

    // The export flows, and one left running when the tab closes: abandoned, by beacon.
    await nav(page, 'Home');
    await page.getByRole('button', { name: 'Slow export (leave the page)' }).click();
    await page.getByText('Exporting…').waitFor();
    await page.close({ runBeforeUnload: true });
    let exportFlow: CollectorStats['flows'][number] | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      exportFlow = (await stats()).flows.find((row) => row.flow === 'export');
      if (exportFlow?.abandoned === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(exportFlow).toMatchObject({ started: 3, succeeded: 1, failed: 1, abandoned: 1 });
    expect(exportFlow?.p50_ms).toBeGreaterThan(0);

    // Both dashboards, as their owners see them.
    const owner = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` },
    });
    const board = await owner.newPage();
    await board.goto(`${collector.url}/`);
    await board.screenshot({
      path: join(artifacts, 'playground-app-dashboard.png'),
      fullPage: true,
    });
    await board.goto(`${acmeCollector.url}/?library=acme-ui`);
    await board.getByText('Button').first().waitFor();
    await board.screenshot({
      path: join(artifacts, 'playground-acme-dashboard.png'),
      fullPage: true,
    });
    await owner.close();
    await context.close();
  });
});
