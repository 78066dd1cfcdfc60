#!/usr/bin/env node
// The side-by-side benchmark of issue 6: telemetry-kit against posthog-js, Segment
// analytics-next, Snowplow and plausible-tracker, in one headless Chromium, in one run, each SDK
// sending to a local receiver; and beside them issue 13's least-work baseline (pages/baseline.js).
// Prints a Markdown report and writes docs/benchmarks.md.
//
//   npm run bench                       (installs the bench's dependencies first: npm ci --prefix test/bench)
//   node test/bench/run.mjs [--quick] [--only=percall,burst,outage,wire,load,react,profile] [--no-write] [--check]
//
// Figures are main-thread milliseconds in this browser on this machine; the ratios are the point.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { benchDir, bundlePage, createPositionLookup, packageVersion, root } from './bundle.mjs';
import { summarise } from './profile.mjs';
import { startReceiver } from './receiver.mjs';
import { checkMusts, fmt, kb, renderReport } from './report.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice(7)
  .split(',');
const wants = (name) => !only || only.includes(name);
const write = !argv.includes('--no-write') && !only && !quick;

const N = quick ? 2_000 : 10_000;
/** Calls of the warm-up round, which also times the slow peers. */
const PROBE = 200;
/** Main-thread time one round of a slow peer may take (its calls and its deferred work). */
const ROUND_BUDGET_MS = quick ? 1_000 : 2_500;
const ROUNDS = quick ? 3 : 5;
/** Alternating rounds of telemetry-kit and the least-work baseline (issue 13's must). */
const PAIRED_ROUNDS = quick ? 4 : 24;
const OUTAGE_EVENTS = quick ? 30_000 : 100_000;
const LOADS = quick ? 3 : 5;
const MOUNTS = quick ? 2_000 : 10_000;
/**
 * Mount rounds are short (tens of ms), and one mount's time varies by a factor of two on a shared
 * 2-core machine (garbage collection, the browser's other threads): take many of them.
 */
const MOUNT_ROUNDS = quick ? 3 : 150;
/** Fresh pages the mount rounds are spread over. */
const MOUNT_SESSIONS = quick ? 1 : 5;
/** The whole run must end by itself: everything it started is closed on this deadline. */
const DEADLINE_MS = 9 * 60_000;

const PEERS = [
  { page: 'ours', sdk: 'telemetry-kit', label: 'telemetry-kit', pkg: null, call: '`track()`' },
  // Issue 13's floor, not a peer: per call only (it has no page views or mounts, and its bundle
  // is a few lines). It posts to /v1/events, so the receiver counts it as telemetry-kit's.
  {
    page: 'baseline',
    sdk: 'telemetry-kit',
    label: 'least-work baseline (build, serialise batches of 100, POST)',
    pkg: null,
    call: '—',
    baseline: true,
  },
  { page: 'posthog', sdk: 'posthog', label: 'posthog-js', pkg: 'posthog-js', call: '`capture()`' },
  {
    page: 'posthog',
    query: '?persistence=localStorage',
    sdk: 'posthog',
    label: "posthog-js (persistence: 'localStorage')",
    call: '`capture()`',
    variant: true,
  },
  {
    page: 'segment',
    sdk: 'segment',
    label: '@segment/analytics-next',
    pkg: '@segment/analytics-next',
    call: '`track()`',
  },
  {
    page: 'snowplow',
    sdk: 'snowplow',
    label: '@snowplow/browser-tracker',
    pkg: '@snowplow/browser-tracker',
    call: '`trackSelfDescribingEvent()`',
  },
  {
    page: 'plausible',
    sdk: 'plausible',
    label: 'plausible-tracker',
    pkg: 'plausible-tracker',
    call: '`trackEvent()`',
  },
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (...args) =>
  console.error(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s]`,
    ...args,
  );

const started = performance.now();
const loadAtStart = loadavg()[0];
installPeersIfNeeded();

let browser;
let receiver;
let finished = false;
const cleanup = async () => {
  await browser?.close().catch(() => {});
  await receiver?.close().catch(() => {});
};
const deadline = setTimeout(async () => {
  console.error(`bench: still running after ${DEADLINE_MS / 60_000} minutes; stopping.`);
  await cleanup();
  process.exit(2);
}, DEADLINE_MS);
deadline.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await cleanup();
    process.exit(130);
  });
}

const results = {
  perCall: [],
  baselinePair: null,
  profile: null,
  burst: null,
  outage: null,
  wire: [],
  load: [],
  react: null,
};

try {
  receiver = await startReceiver();
  const origin = receiver.origin;

  // Bundles ---------------------------------------------------------------------------------
  const pages = {};
  const gzipOf = new Map();
  const addPage = (bundle) => {
    pages[bundle.name] = bundle;
    for (const file of bundle.files) {
      receiver.setAsset(file.path, file.text, 'text/javascript; charset=utf-8');
      gzipOf.set(file.path, file.gzip);
    }
    receiver.setAsset(
      `/html/${bundle.name}`,
      `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body><script type="module" src="${bundle.entry}"></script></body></html>`,
      'text/html',
    );
  };
  for (const name of new Set(['blank', ...PEERS.map((peer) => peer.page)]))
    addPage(await bundlePage(name));
  addPage(await bundlePage('ours-profile', { minify: false }));
  let reactSkipped = null;
  if (!existsSync(join(root, 'react/index.ts')))
    reactSkipped = 'skipped: React bindings not present';
  else {
    try {
      addPage(await bundlePage('react'));
      addPage(await bundlePage('react-profile', { minify: false }));
    } catch (error) {
      reactSkipped = `skipped: React bindings did not bundle (${String(error.message ?? error).split('\n')[0]})`;
    }
  }
  log('bundled', Object.keys(pages).join(', '));

  browser = await chromium.launch({
    executablePath: findChromium(),
    // `gc()` for the mount rounds: each starts on a collected heap, so no kind pays for the
    // garbage the one before it left.
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
    timeout: 30_000,
  });
  const instrument = readFileSync(join(benchDir, 'instrument.js'), 'utf8');

  /** A fresh browser context (own storage, own IndexedDB) with one page of `name`, ready. */
  const open = async (name, { instrumented = false, query = '' } = {}) => {
    const context = await browser.newContext();
    if (instrumented) await context.addInitScript(instrument);
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`${name}: page error: ${error.message}`));
    const cdp = await context.newCDPSession(page);
    await page.goto(`${origin}/page/${name}/products/42${query}`);
    await page.evaluate(() => window.bench.ready);
    return { context, page, cdp };
  };

  /**
   * Waits until the receiver holds `expected` events of `sdk`, or nothing new has arrived for
   * `quietMs` while the page was responsive (a page busy with deferred work is not quiet).
   */
  const settle = async (sdk, expected, { page, timeoutMs = 30_000, quietMs = 2_500 } = {}) => {
    const begin = Date.now();
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      const count = receiver.eventCount(sdk);
      if (count >= expected) return count;
      if (count !== last) {
        last = count;
        lastChange = Date.now();
      }
      if (Date.now() - lastChange > quietMs || Date.now() - begin > timeoutMs) return count;
      await sleep(50);
      if (page) {
        const ping = Date.now();
        await page.evaluate(() => 0);
        if (Date.now() - ping > 100) lastChange = Date.now();
      }
    }
  };

  const taskMs = async (cdp) => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((metric) => metric.name === 'TaskDuration').value * 1000;
  };

  /** One round: n calls in one task, then everything the SDK does until the receiver has them. */
  const measureRound = async ({ page, cdp }, sdk, n) => {
    receiver.reset();
    const before = await taskMs(cdp);
    const syncMs = await page.evaluate((count) => {
      const start = performance.now();
      window.bench.run(count);
      return performance.now() - start;
    }, n);
    const received = await settle(sdk, n, { page, quietMs: 3_000, timeoutMs: 60_000 });
    const totalMs = (await taskMs(cdp)) - before;
    return {
      n,
      syncMs,
      totalMs,
      received,
      requests: receiver.requests().filter((r) => r.sdk === sdk).length,
    };
  };

  /**
   * Rounds of two pages that alternate (each first in every other pair, each on its own page),
   * so that load on the machine moves both alike; the ratio is the median of the ratios within
   * a pair (first ÷ second), with its interval.
   */
  const measurePair = async (peers) => {
    const sides = [];
    for (const peer of peers) {
      const opened = await open(peer.page, { query: peer.query });
      await opened.cdp.send('Performance.enable');
      await measureRound(opened, peer.sdk, PROBE);
      sides.push({ peer, opened });
    }
    const pairs = [];
    for (let i = 0; i < PAIRED_ROUNDS; i++) {
      const order = i % 2 ? [1, 0] : [0, 1];
      const pair = [];
      for (const side of order)
        pair[side] = await measureRound(sides[side].opened, sides[side].peer.sdk, N);
      pairs.push(pair);
    }
    for (const side of sides) await side.opened.context.close();
    const us = (side) => (median(pairs.map((pair) => pair[side].totalMs)) / N) * 1000;
    const ratios = pairs.map(([first, second]) => first.totalMs / second.totalMs);
    return {
      rounds: PAIRED_ROUNDS,
      us: [us(0), us(1)],
      received: Math.min(...pairs.flat().map((r) => r.received)),
      ratios,
      interval: ratioWithInterval(ratios),
    };
  };

  // Main-thread cost per call -----------------------------------------------------------------
  if (wants('percall')) {
    for (const peer of PEERS) {
      const opened = await open(peer.page, { query: peer.query });
      const { context, cdp } = opened;
      await cdp.send('Performance.enable');
      const round = (n) => measureRound(opened, peer.sdk, n);
      // Warm-up (JIT, storage opened), which also sizes the rounds of slow peers: the calls of
      // every SDK measured here cost the same per call from 100 to 3,000 calls; only the time
      // this machine needs to run them differs (posthog-js, Segment and Plausible take about a
      // millisecond per call here, and their deferred work more).
      // Some peers' deferred work grows with the backlog (Snowplow rewrites its whole
      // localStorage queue per event), so a peer that looks cheap at 200 is probed again at 500.
      const sized = (probe) =>
        Math.floor(ROUND_BUDGET_MS / (Math.max(probe.totalMs, probe.syncMs) / probe.n) / 500) * 500;
      // The baseline makes as many calls as telemetry-kit: its ratio is at the same count.
      let n = N;
      if (peer.page !== 'ours' && !peer.baseline) {
        n = sized(await round(PROBE));
        if (n > 500) n = Math.min(n, sized(await round(500)));
        n = Math.max(500, Math.min(N, n));
      } else await round(PROBE);
      const rounds = [];
      for (let i = 0; i < ROUNDS; i++) rounds.push(await round(n));
      const other = receiver
        .requests()
        .filter((r) => r.sdk === 'unknown')
        .map((r) => `${r.method} ${r.path}`);
      await context.close();
      const row = {
        ...peer,
        n,
        usPerCall: (median(rounds.map((r) => r.syncMs)) / n) * 1000,
        totalUsPerEvent: (median(rounds.map((r) => r.totalMs)) / n) * 1000,
        received: Math.min(...rounds.map((r) => r.received)),
        requestsPerRound: median(rounds.map((r) => r.requests)),
        otherRequests: [...new Set(other)],
        rounds,
      };
      results.perCall.push(row);
      log(
        `per call: ${peer.label}: ${fmt(row.usPerCall, 2)} µs/call, ${fmt(row.totalUsPerEvent, 1)} µs/event until delivered, ${n} calls per round, received ≥ ${row.received}`,
      );
    }
    // Issue 13's must, telemetry-kit against the least-work baseline, is a ratio of two figures
    // a few seconds apart, which other work on the machine moves. Rounds of the two alternate
    // here, in both orders, and the must is the median of the ratios within a pair, with its
    // interval, as the mount ratios are.
    const baselinePeer = PEERS.find((peer) => peer.baseline);
    if (baselinePeer) {
      const pair = await measurePair([PEERS[0], baselinePeer]);
      results.baselinePair = {
        rounds: pair.rounds,
        oursUs: pair.us[0],
        baselineUs: pair.us[1],
        received: pair.received,
        ...pair.interval,
      };
      log(
        `paired with the baseline: ${fmt(results.baselinePair.ratio, 2)}× (95 % interval ${fmt(results.baselinePair.low, 2)}–${fmt(results.baselinePair.high, 2)})`,
      );
    }
    // Issue 17's must: one destination configured (receiving component.mount of one library)
    // costs events that go to the app's collector alone at most 25 % more. Same pairing.
    const withDestination = await measurePair([PEERS[0], { ...PEERS[0], query: '?destination=1' }]);
    results.destinationPair = {
      rounds: withDestination.rounds,
      withoutUs: withDestination.us[0],
      withUs: withDestination.us[1],
      received: withDestination.received,
      ...ratioWithInterval(withDestination.ratios.map((ratio) => 1 / ratio)),
    };
    log(
      `one destination configured: ${fmt(results.destinationPair.ratio, 2)}× (95 % interval ${fmt(results.destinationPair.low, 2)}–${fmt(results.destinationPair.high, 2)})`,
    );
  }

  // Issue 15's must: `flow()` costs no more than a `track()` call. Same pairing, each call the
  // same event: a `flow.start` from `flow()` against the same `flow.start` from `track()`.
  if (wants('percall')) {
    const flows = await measurePair([
      { ...PEERS[0], query: '?call=track-flow' },
      { ...PEERS[0], query: '?call=flow' },
    ]);
    results.flowPair = {
      rounds: flows.rounds,
      trackUs: flows.us[0],
      flowUs: flows.us[1],
      received: flows.received,
      ...ratioWithInterval(flows.ratios.map((ratio) => 1 / ratio)),
    };
    log(
      `flow() against track(): ${fmt(results.flowPair.ratio, 2)}× (95 % interval ${fmt(results.flowPair.low, 2)}–${fmt(results.flowPair.high, 2)})`,
    );
  }

  // Where our track() spends its time ---------------------------------------------------------
  if (wants('profile')) {
    const lookup = createPositionLookup(pages['ours-profile'].sourceMaps);
    const { context, page, cdp } = await open('ours-profile');
    await page.evaluate(() => window.bench.run(1_000));
    await settle('telemetry-kit', 1_000, { page, quietMs: 2_000 });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    const finished = new Promise((resolve) =>
      cdp.on('Profiler.consoleProfileFinished', (event) => resolve(event.profile)),
    );
    receiver.reset();
    // console.profile bounds the profile to exactly the calls.
    const loopMs = await page.evaluate((n) => {
      console.profile('calls');
      const start = performance.now();
      window.bench.run(n);
      const ms = performance.now() - start;
      console.profileEnd('calls');
      return ms;
    }, N);
    const loopProfile = await finished;
    await cdp.send('Profiler.start');
    await settle('telemetry-kit', N, { page, quietMs: 4_000 });
    const { profile: afterProfile } = await cdp.send('Profiler.stop');
    await context.close();
    results.profile = {
      loopMs,
      loop: summarise(loopProfile, { lookup, onlyPage: true }),
      after: summarise(afterProfile, { lookup, onlyPage: false }),
    };
    log(`profile: loop ${fmt(loopMs)} ms for ${N} calls (unminified, profiler on)`);
  }

  // Burst: N events in one task -----------------------------------------------------------------
  if (wants('burst')) {
    // The collector holds every request open: delivery cannot delete what was persisted, so
    // the second connection's count is exactly what was written.
    receiver.reset();
    receiver.setMode('hold');
    const { context, page } = await open('ours', { instrumented: true });
    // One event first, so the session has started and the first (held) delivery is under way.
    // The burst starts once that event and its session.start are stored: drafts accepted while
    // the engine's start-up flush is unanswered wait for it (up to a second), and would
    // otherwise land in the burst's window.
    await page.evaluate(async () => {
      window.bench.run(1);
      const until = performance.now() + 5_000;
      while ((await window.__bench.storedCount()) < 2 && performance.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 100));
    });
    // Then as long idle as before, so that the polling's garbage is not collected in the burst.
    await sleep(500);
    // 'toplevel' has the main thread's tasks (RunTask); richer categories slow the page down.
    await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing'] });
    const burst = await page.evaluate(
      async ({ n, cap }) => {
        const stats = window.__bench.stats;
        const before = { ...stats, longTasks: stats.longTasks.length };
        const storedBefore = await window.__bench.storedCount();
        performance.mark('bench-burst-start');
        const start = performance.now();
        window.bench.run(n);
        const loopMs = performance.now() - start;
        let persistedMs = null;
        let stored = 0;
        while (performance.now() - start < 30_000) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          stored = (await window.__bench.storedCount()) - storedBefore;
          // The queue is capped (maxQueueSize, default 10,000): the oldest beyond it are dropped.
          if (stored >= Math.min(n, cap - storedBefore)) {
            persistedMs = performance.now() - start;
            break;
          }
        }
        performance.mark('bench-burst-end');
        await new Promise((resolve) => setTimeout(resolve, 200));
        return {
          loopMs,
          persistedMs,
          stored,
          readwrite: stats.readwrite - before.readwrite,
          appends: stats.appends - before.appends,
          claims: stats.claims - before.claims,
          removes: stats.removes - before.removes,
          otherReadwrite: stats.other - before.other,
          persisted: stats.persisted - before.persisted,
          longTasks: stats.longTasks
            .slice(before.longTasks)
            .filter((task) => task.start >= start - 1),
          storedBefore,
          start,
        };
      },
      { n: N, cap: 10_000 },
    );
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
    if (process.env.BENCH_DUMP_TRACE)
      writeFileSync(process.env.BENCH_DUMP_TRACE, JSON.stringify(trace));
    await context.close();
    receiver.setMode('ok');
    const events = trace.traceEvents ?? trace;
    const mainThreads = new Set(
      events
        .filter(
          (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
        )
        .map((e) => `${e.pid}:${e.tid}`),
    );
    const stamp = (name) =>
      events.find((e) => e.name === name && e.cat?.includes('blink.user_timing'));
    const begin = stamp('bench-burst-start');
    const end = stamp('bench-burst-end');
    let tasks = [];
    if (begin && end) {
      tasks = events
        .filter(
          (e) =>
            e.ph === 'X' &&
            /^(ThreadControllerImpl::)?RunTask$/.test(e.name) &&
            mainThreads.has(`${e.pid}:${e.tid}`) &&
            e.pid === begin.pid,
        )
        .filter((e) => e.ts + e.dur >= begin.ts && e.ts <= end.ts)
        .map((e) => ({
          ts: e.ts,
          ms: e.dur / 1000,
          containsStart: e.ts <= begin.ts && e.ts + e.dur >= begin.ts,
        }));
    }
    const loopTask = tasks.find((task) => task.containsStart);
    const after = tasks.filter((task) => !task.containsStart);
    results.burst = {
      ...burst,
      loopTaskMs: loopTask?.ms ?? burst.loopMs,
      longestAfterMs: after.length ? Math.max(...after.map((task) => task.ms)) : 0,
      tasksOver50After: after.filter((task) => task.ms > 50).length,
      tracedTasks: tasks.length,
    };
    log(
      `burst: loop ${fmt(burst.loopMs)} ms, persisted after ${fmt(burst.persistedMs)} ms, ${burst.readwrite} read-write transactions, longest later task ${fmt(results.burst.longestAfterMs)} ms`,
    );
  }

  // Outage: the collector answers 503 ------------------------------------------------------------
  if (wants('outage')) {
    receiver.reset();
    receiver.setMode('down');
    const { context, page, cdp } = await open('ours', { instrumented: true });
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    /**
     * Waits until everything tracked so far is persisted or dropped: nothing staged in memory
     * (`status().queued` equals the stored count read from a second connection).
     */
    const quiet = () =>
      page.evaluate(async () => {
        const begin = performance.now();
        let matches = 0;
        while (performance.now() - begin < 60_000) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          const stored = await window.__bench.storedCount();
          matches = window.telemetry.status().queued === stored ? matches + 1 : 0;
          if (matches >= 2) return performance.now() - begin;
        }
        return null;
      });
    const base = await heap();
    const checkpoints = [];
    const step = 10_000;
    const marks = new Set([step, OUTAGE_EVENTS / 2, OUTAGE_EVENTS]);
    const outageStart = performance.now();
    for (let done = 0; done < OUTAGE_EVENTS; ) {
      const n = Math.min(step, OUTAGE_EVENTS - done);
      await page.evaluate((count) => window.bench.run(count), n);
      done += n;
      if (marks.has(done)) {
        const settledMs = await quiet();
        const status = await page.evaluate(() => window.telemetry.status());
        const stored = await page.evaluate(() => window.__bench.storedCount());
        checkpoints.push({
          tracked: done,
          heapGrowth: (await heap()) - base,
          stored,
          queued: status.queued,
          dropped: status.dropped,
          settledMs,
        });
      }
    }
    const attempts = receiver.requests().filter((r) => r.sdk === 'telemetry-kit');
    const requests = attempts.length;
    const perSecond = new Map();
    for (const r of attempts)
      perSecond.set(Math.floor(r.at / 1000), (perSecond.get(Math.floor(r.at / 1000)) ?? 0) + 1);
    const busiestSecond = Math.max(0, ...perSecond.values());
    await context.close();
    receiver.setMode('ok');
    results.outage = {
      base,
      checkpoints,
      requests,
      busiestSecond,
      seconds: (performance.now() - outageStart) / 1000,
    };
    log(
      `outage: ${checkpoints.map((c) => `${c.tracked}: +${kb(c.heapGrowth)} heap, ${c.stored} stored`).join('; ')}`,
    );
  }

  // Wire: bytes per event --------------------------------------------------------------------------
  if (wants('wire')) {
    const COUNT = 50;
    for (const peer of PEERS.filter((peer) => !peer.variant && !peer.baseline)) {
      const { context, page } = await open(peer.page);
      receiver.reset();
      await page.evaluate(async () => {
        window.bench.run(1);
        await window.bench.flush?.();
      });
      await settle(peer.sdk, 1, { page, quietMs: 4_000 });
      const row = { ...peer };
      for (const [kind, method] of [
        ['page.view', 'pageView'],
        ['component.mount', 'componentMount'],
      ]) {
        receiver.reset();
        await page.evaluate(
          async ({ count, method }) => {
            for (let i = 0; i < count; i++) window.bench[method](i);
            await window.bench.flush?.();
          },
          { count: COUNT, method },
        );
        await settle(peer.sdk, COUNT, { page, quietMs: 4_000 });
        const sent = receiver.requests().filter((r) => r.sdk === peer.sdk);
        const events = sent.reduce((sum, r) => sum + r.events, 0);
        row[kind] = {
          events,
          requests: sent.length,
          bodyPerEvent: sent.reduce((sum, r) => sum + r.bodyBytes, 0) / events,
          rawPerEvent: sent.reduce((sum, r) => sum + r.rawBytes, 0) / events,
          headersPerEvent: sent.reduce((sum, r) => sum + r.headerBytes, 0) / events,
          compressed: sent.some((r) => r.compressed),
          sample: sent[0]?.types?.slice(0, 3),
        };
      }
      await context.close();
      results.wire.push(row);
      log(
        `wire: ${peer.label}: page.view ${fmt(row['page.view'].bodyPerEvent, 0)} B/event, component.mount ${fmt(row['component.mount'].bodyPerEvent, 0)} B/event`,
      );
    }
  }

  // Load: navigation to ready, JavaScript bytes ------------------------------------------------------
  if (wants('load')) {
    for (const peer of [
      { page: 'blank', label: '(no SDK, baseline)' },
      ...PEERS.filter((peer) => !peer.variant && !peer.baseline),
    ]) {
      const readies = [];
      let js = { bytes: 0, gzip: 0, files: 0 };
      for (let i = 0; i < LOADS; i++) {
        receiver.reset();
        const { context, page } = await open(peer.page);
        readies.push(await page.evaluate(() => window.bench.readyAt));
        await sleep(300);
        const served = receiver.served();
        js = {
          bytes: served.reduce((sum, file) => sum + file.bytes, 0),
          gzip: served.reduce((sum, file) => sum + (gzipOf.get(file.path) ?? 0), 0),
          files: served.length,
        };
        await context.close();
      }
      results.load.push({ ...peer, readyMs: median(readies), js });
      log(
        `load: ${peer.label}: ready at ${fmt(median(readies))} ms, ${kb(js.gzip)} gzip JS in ${js.files} file(s)`,
      );
    }
  }

  // Component tracking -----------------------------------------------------------------------------
  if (wants('react')) {
    if (reactSkipped) {
      results.react = { skipped: reactSkipped };
      log(reactSkipped);
    } else {
      let kinds = [];
      let times = {};
      let loggedAfterMount = 0;
      // Several fresh pages: how V8 happens to optimise a page's code differs from page to page
      // more than rounds differ within one, so the rounds are spread over sessions.
      for (let session = 0; session < MOUNT_SESSIONS; session++) {
        const { context, page } = await open('react');
        if (!session) {
          kinds = await page.evaluate(() => window.bench.kinds);
          times = Object.fromEntries(kinds.map((kind) => [kind, []]));
        }
        await page.evaluate(
          async ({ kinds, n }) => {
            for (const kind of kinds) window.bench.mount(kind, n);
            await window.bench.flush();
          },
          { kinds, n: MOUNTS },
        ); // warm-up
        for (let round = 0; round < MOUNT_ROUNDS / MOUNT_SESSIONS; round++) {
          for (const kind of round % 2 ? [...kinds].reverse() : kinds) {
            const { ms, logged } = await page.evaluate(
              ({ kind, n }) => window.bench.mount(kind, n),
              { kind, n: MOUNTS },
            );
            times[kind].push(ms);
            if (kind === 'ds-tracked') loggedAfterMount = logged;
            await page.evaluate(() => window.bench.flush());
          }
        }
        await context.close();
      }
      const { context, page } = await open('react');
      receiver.reset();
      await page.evaluate((n) => window.bench.mount('ds-tracked', n), MOUNTS);
      await page.evaluate(() => window.bench.flush());
      await settle('telemetry-kit', 1, { page, quietMs: 1_500 });
      const sent = receiver.requests().filter((r) => r.sdk === 'telemetry-kit');
      await context.close();
      // Each round measures every kind back to back: the ratio within a round is immune to the
      // machine's drift between rounds, and its median is what the table reports. Each Button's
      // kinds are compared with the same Button without the hook.
      const baseline = (kind) => (kind.startsWith('ds-') ? 'ds-plain' : 'plain');
      results.react = {
        kinds: Object.fromEntries(
          kinds.map((kind) => [
            kind,
            {
              ms: median(times[kind]),
              ...ratioWithInterval(times[kind].map((ms, i) => ms / times[baseline(kind)][i])),
              // The hook's cost per instance, from the medians: what a ratio is made of.
              usPerInstance:
                ((median(times[kind]) - median(times[baseline(kind)])) * 1_000) / MOUNTS,
            },
          ]),
        ),
        events: sent.reduce(
          (sum, r) => sum + r.types.filter((t) => t === 'component.mount').length,
          0,
        ),
        mountsCounted: sent.reduce((sum, r) => sum + (r.mountCount ?? 0), 0),
        loggedAfterMount,
        times,
      };
      const k = results.react.kinds;
      log(
        `react: design-system Button ${fmt(k['ds-plain'].ms)} ms plain, ${fmt(k['ds-tracked'].ms)} ms tracked (${fmt(k['ds-tracked'].ratio, 2)}); minimal Button ${fmt(k.plain.ms)} / ${fmt(k.tracked.ms)} ms (${fmt(k.tracked.ratio, 2)}); ${results.react.events} events counting ${results.react.mountsCounted} mounts`,
      );
      if (wants('profile')) {
        const profiled = await open('react-profile');
        await profiled.page.evaluate((n) => window.bench.mount('ds-tracked', n), MOUNTS);
        await profiled.cdp.send('Profiler.enable');
        await profiled.cdp.send('Profiler.setSamplingInterval', { interval: 50 });
        const finished = new Promise((resolve) =>
          profiled.cdp.on('Profiler.consoleProfileFinished', (event) => resolve(event.profile)),
        );
        // The mount, then the engine's next task, which counts what the mounts logged.
        await profiled.page.evaluate(async (n) => {
          console.profile('mount');
          window.bench.mount('ds-tracked', n, { keep: true });
          await new Promise((resolve) => setTimeout(resolve, 100));
          console.profileEnd('mount');
          window.bench.unmount();
        }, MOUNTS);
        const lookup = createPositionLookup(pages['react-profile'].sourceMaps);
        results.react.profile = summarise(await finished, { lookup, onlyPage: true });
        await profiled.context.close();
      }
    }
  }

  const versions = {
    chromium: browser.version(),
    node: process.version,
    esbuild: packageVersion('esbuild'),
    react: packageVersion('react'),
    peers: Object.fromEntries(
      PEERS.filter((peer) => peer.pkg).map((peer) => [peer.pkg, packageVersion(peer.pkg)]),
    ),
  };
  await cleanup();
  finished = true;

  const report = renderReport(results, versions, {
    N,
    ROUNDS,
    PROBE,
    ROUND_BUDGET_MS,
    OUTAGE_EVENTS,
    LOADS,
    MOUNTS,
    MOUNT_ROUNDS,
    MOUNT_SESSIONS,
    loadAtStart,
  });
  console.log(report);
  // The raw figures, for comparing runs while optimising (git-ignored).
  mkdirSync(join(root, '.cache/bench'), { recursive: true });
  writeFileSync(
    join(root, '.cache/bench/last.json'),
    JSON.stringify({ versions, results }, null, 2),
  );
  if (write) {
    writeFileSync(join(root, 'docs/benchmarks.md'), report);
    log('wrote docs/benchmarks.md');
  } else log('docs/benchmarks.md not written (partial run)');
  const unmet = checkMusts(results).filter((must) => !must.met);
  if (unmet.length)
    log(`musts not met: ${unmet.map((must) => `${must.must} (issue ${must.issue})`).join('; ')}`);
  // --check: fail the run (for CI) when a must is not met.
  if (argv.includes('--check') && unmet.length) process.exitCode = 1;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  if (!finished) await cleanup();
  clearTimeout(deadline);
}

/**
 * The median of paired ratios and its 95 % confidence interval, from the order statistics of the
 * sample (the distribution-free interval for a median): single mounts vary by a factor of two on
 * a busy machine, so the interval says how far the median can be trusted.
 */
function ratioWithInterval(ratios) {
  const sorted = [...ratios].sort((a, b) => a - b);
  const n = sorted.length;
  const half = (1.96 * Math.sqrt(n)) / 2;
  const low = sorted[Math.max(0, Math.floor(n / 2 - half))];
  const high = sorted[Math.min(n - 1, Math.ceil(n / 2 + half))];
  return { ratio: median(ratios), low, high };
}

/**
 * The peers are dependencies of the bench only (test/bench/package.json). Installs them from the
 * bench's lockfile when they are missing or differ from it.
 */
function installPeersIfNeeded() {
  const lock = JSON.parse(readFileSync(join(benchDir, 'package-lock.json'), 'utf8'));
  const wanted = Object.keys(
    JSON.parse(readFileSync(join(benchDir, 'package.json'), 'utf8')).dependencies,
  );
  const stale = wanted.filter((name) => {
    const file = join(benchDir, 'node_modules', name, 'package.json');
    return (
      !existsSync(file) ||
      JSON.parse(readFileSync(file, 'utf8')).version !==
        lock.packages[`node_modules/${name}`]?.version
    );
  });
  if (!stale.length) return;
  console.error(
    `bench: installing the bench's dependencies (${stale.join(', ')}): npm ci --prefix test/bench`,
  );
  execFileSync('npm', ['ci', '--prefix', benchDir, '--no-fund', '--no-audit'], {
    stdio: 'inherit',
  });
}
