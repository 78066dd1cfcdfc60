/**
 * Prints what `npm run bench:collector` measured as per-event times, variants side by side:
 * each variant's median request time over its rounds, divided by the events a timed iteration
 * sends (50 per request, 8 in flight), and its ratio to the group's first variant. Medians,
 * not the mean `hz`: on a shared machine a few iterations stall for hundreds of milliseconds.
 *
 *   node test/bench/ingest-summary.mjs .cache/ingest-bench.json
 */
import { readFileSync } from 'node:fs';

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
