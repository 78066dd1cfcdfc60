/**
 * Prints what `npm run bench:collector` measured as per-event times, variants side by side:
 * each variant's median request time over its rounds, divided by the events a timed iteration
 * sends (50 per request, 8 in flight), and its ratio to the group's first variant. Medians,
 * not the mean `hz`: on a shared machine a few iterations stall for hundreds of milliseconds.
 * Then the collector's memory peaks during each export, from .cache/export-bench-memory.json.
 *
 *   node test/bench/ingest-summary.mjs .cache/ingest-bench.json
 */
import { existsSync, readFileSync } from 'node:fs';

const EVENTS_PER_ITERATION = 50 * 8;
const report = JSON.parse(readFileSync(process.argv[2] ?? '.cache/ingest-bench.json', 'utf8'));

for (const file of report.files) {
  for (const group of file.groups) {
    // The stats and retention benches time one read or run each: their median in milliseconds.
    if (group.fullName.includes('stats: ') || group.fullName.includes('retention: ')) {
      console.log(`\n${group.fullName.replace(/^.*? > /, '')}`);
      for (const benchmark of group.benchmarks) {
        console.log(`  ${benchmark.name.padEnd(58)} ${benchmark.median.toFixed(0).padStart(6)} ms`);
      }
      continue;
    }
    // The export benches (export.bench.ts) download one file each: its time and rows a second.
    if (group.fullName.includes('export: ')) {
      console.log(`\n${group.fullName.replace(/^.*? > /, '')}`);
      const events = Number(/of ([\d,]+) events/.exec(group.fullName)?.[1]?.replaceAll(',', ''));
      for (const benchmark of group.benchmarks) {
        const perSecond = Math.round(events / (benchmark.median / 1000)).toLocaleString('en');
        console.log(
          `  ${benchmark.name.padEnd(58)} ${benchmark.median.toFixed(0).padStart(6)} ms  ${perSecond} events/s`,
        );
      }
      continue;
    }
    const variants = new Map();
    for (const benchmark of group.benchmarks) {
      const name = benchmark.name.replace(/, round \d+$/, '');
      variants.set(name, [...(variants.get(name) ?? []), benchmark.median]);
    }
    const rows = [...variants].map(([name, medians]) => ({
      name,
      medians,
      perEvent:
        (medians.reduce((sum, median) => sum + median, 0) / medians.length / EVENTS_PER_ITERATION) *
        1000,
    }));
    const baseline = rows[0]?.perEvent ?? Number.NaN;
    console.log(`\n${group.fullName.replace(/^.*? > /, '')}`);
    for (const row of rows) {
      const rounds = row.medians.map((median) =>
        ((median / EVENTS_PER_ITERATION) * 1000).toFixed(1),
      );
      console.log(
        `  ${row.name.padEnd(58)} ${row.perEvent.toFixed(1).padStart(6)} µs/event  ×${(row.perEvent / baseline).toFixed(2)}  (rounds: ${rounds.join(', ')} µs)`,
      );
    }
  }
}

const MEMORY_FILE = '.cache/export-bench-memory.json';
if (existsSync(MEMORY_FILE)) {
  const memory = JSON.parse(readFileSync(MEMORY_FILE, 'utf8'));
  const mb = (bytes) => `${(bytes / 1_048_576).toFixed(1)} MB`.padStart(9);
  console.log(
    `\nexport: the collector's memory peaks (sampled every 5 ms; --max-old-space-size=${memory.heapMb})`,
  );
  for (const [name, peaks] of Object.entries(memory.exports)) {
    console.log(
      `  ${name.padEnd(18)} heapUsed ${mb(peaks.heapUsed)}  heapTotal ${mb(peaks.heapTotal)}  arrayBuffers ${mb(peaks.arrayBuffers)}  rss ${mb(peaks.rss)}  (file ${mb(peaks.bytes)})`,
    );
  }
}
