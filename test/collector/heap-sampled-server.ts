/**
 * A collector in a process of its own, for measuring what an export costs it in memory. Run by
 * `startHeapSampledCollector` (heap-sampled-collector.ts) with `--max-old-space-size`, bundled by
 * esbuild; not a test file.
 *
 * Environment: `HEAP_SAMPLED_DATA_DIR` (PGlite) or `HEAP_SAMPLED_DATABASE_URL` (PostgreSQL), and
 * `HEAP_SAMPLED_ADMIN_TOKEN`. Once listening it writes `{"url": ...}` as one line to stdout.
 * Each line `peaks` on stdin is answered with one JSON line: the largest `process.memoryUsage()`
 * figures sampled every 5 ms since the last `reset` line, and the kernel's peak RSS
 * (`resourceUsage().maxRSS`, in bytes). Closing stdin ends the process.
 */
import { createInterface } from 'node:readline';
import { createCollector, listen } from '../../collector/index.js';

const databaseUrl = process.env.HEAP_SAMPLED_DATABASE_URL;
const dataDir = process.env.HEAP_SAMPLED_DATA_DIR ?? 'memory://';
const collector = createCollector({
  ...(databaseUrl ? { databaseUrl } : { dataDir }),
  adminToken: process.env.HEAP_SAMPLED_ADMIN_TOKEN ?? '',
  rateLimit: false,
});
const readiness = await collector.ready();
if (!readiness.ok) {
  process.stderr.write(`the store did not open: ${readiness.reason}\n`);
  process.exit(1);
}
const server = await listen(collector, { port: 0, host: '127.0.0.1' });

const empty = () => ({ heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0 });
let peaks = empty();
const sample = () => {
  const usage = process.memoryUsage();
  peaks = {
    heapUsed: Math.max(peaks.heapUsed, usage.heapUsed),
    heapTotal: Math.max(peaks.heapTotal, usage.heapTotal),
    external: Math.max(peaks.external, usage.external),
    arrayBuffers: Math.max(peaks.arrayBuffers, usage.arrayBuffers),
    rss: Math.max(peaks.rss, usage.rss),
  };
};
setInterval(sample, 5);

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line === 'reset') {
      peaks = empty();
      sample();
      process.stdout.write('{"reset":true}\n');
    } else if (line === 'peaks') {
      sample();
      const maxRss = process.resourceUsage().maxRSS * 1024;
      process.stdout.write(`${JSON.stringify({ ...peaks, maxRss })}\n`);
    }
  })
  .on('close', async () => {
    await server.close();
    await collector.close();
    process.exit(0);
  });

process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
