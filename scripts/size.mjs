#!/usr/bin/env node
// Bundles each public entry as an application would (dependencies in, React external,
// minified, code-split) and checks the gzip size of what a page loads up front against a
// budget. Fails (exit 1) when a budget is exceeded, or web-vitals, the delivery engine or the
// consent sources leak into an initial chunk they do not belong in.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.cache', 'size');

/**
 * Sizes in bytes (gzip, initial chunk). `ceiling`: what CI enforces, issue 6's budget where it
 * sets one. `budget`: issue 6's budget. `target`: beyond it. What loads on demand (the delivery
 * engine after consent, web-vitals when enabled) is printed beside the initial chunk but not
 * counted against it.
 */
const scenarios = [
  {
    name: 'createTelemetry (core; idb and nanoid bundled, in the engine chunk)',
    code: "import { createTelemetry } from 'telemetry-kit'; export const t = createTelemetry({ serviceName: 'x', endpoint: '/e' });",
    needs: 'dist/index.js',
    ceiling: 7_000,
    budget: 7_000,
    target: 5_000,
  },
  {
    name: 'core + every React export',
    code: "export * from 'telemetry-kit'; export * from 'telemetry-kit/react';",
    ceiling: 10_000,
    budget: 10_000,
    target: 8_000,
    needs: 'dist/react.js',
  },
  {
    // Not a budget of issue 6: the same with the flow hook's entry (telemetry-kit/react/flow),
    // which is an entry of its own because it would take "core + every React export" past 10 KB.
    name: 'core + every React export + telemetry-kit/react/flow',
    code: "export * from 'telemetry-kit'; export * from 'telemetry-kit/react'; export * from 'telemetry-kit/react/flow';",
    ceiling: 10_300,
    budget: null,
    target: null,
    needs: 'dist/react-flow.js',
  },
  {
    name: 'useComponentTracking only (component-library author)',
    code: "import { useComponentTracking } from 'telemetry-kit/react'; export function Button(p) { useComponentTracking('Button', { variant: p.variant }, { library: 'ui' }); return null; }",
    ceiling: 1_500,
    budget: 1_500,
    target: 1_000,
    needs: 'dist/react.js',
  },
  {
    // Not one of issue 6's budgets: the optional transports entry, guarded by a ceiling only.
    name: 'telemetry-kit/transports (fetch + OTLP transports)',
    code: "export * from 'telemetry-kit/transports';",
    ceiling: 1_600,
    budget: null,
    target: null,
    needs: 'dist/transports.js',
  },
  {
    // Not a budget of issue 6: the wire format's rules, for collectors; a ceiling only.
    name: 'telemetry-kit/wire (patterns, limits, buildBatch)',
    code: "export * from 'telemetry-kit/wire';",
    ceiling: 800,
    budget: null,
    target: null,
    needs: 'dist/wire.js',
  },
  {
    // Issue 14's budget: an app that takes its decision from one consent manager.
    name: 'telemetry-kit/consent (one source: fromTcf)',
    code: "import { fromTcf } from 'telemetry-kit/consent'; export const source = fromTcf();",
    ceiling: 2_000,
    budget: null,
    target: null,
    needs: 'dist/consent.js',
  },
  {
    // Every consent source at once: a ceiling only (measured, plus a margin).
    name: 'telemetry-kit/consent (every source)',
    code: "export * from 'telemetry-kit/consent';",
    ceiling: 3_800,
    budget: null,
    target: null,
    needs: 'dist/consent.js',
  },
];

const alias = {
  'telemetry-kit/consent': join(root, 'dist/consent.js'),
  'telemetry-kit/wire': join(root, 'dist/wire.js'),
  'telemetry-kit/transports': join(root, 'dist/transports.js'),
  'telemetry-kit/react/flow': join(root, 'dist/react-flow.js'),
  'telemetry-kit/react': join(root, 'dist/react.js'),
  'telemetry-kit': join(root, 'dist/index.js'),
};

const kb = (bytes) => `${(bytes / 1000).toFixed(2)} KB`;
let failed = false;
const rows = [];
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

for (const [index, scenario] of scenarios.entries()) {
  const dir = join(work, String(index));
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, scenario.code);
  if (!existsSync(join(root, scenario.needs))) {
    console.error(`${scenario.needs} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
  const result = await build({
    entryPoints: [entry],
    outdir: join(dir, 'out'),
    // Metafile paths are relative to this directory, whatever the caller's working directory.
    absWorkingDir: root,
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    metafile: true,
    alias,
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const entryOutput = Object.keys(outputs).find((file) => outputs[file].entryPoint);
  // The initial chunk: the entry's output and everything it imports statically.
  const initial = new Set();
  const visit = (file) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const imported of outputs[file].imports)
      if (imported.kind === 'import-statement' && outputs[imported.path]) visit(imported.path);
  };
  visit(entryOutput);
  const code = [...initial].map((file) => readFileSync(join(root, file))).join('\n');
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(Buffer.from(code)).length;
  const inInitial = (module) =>
    [...initial].some((file) =>
      Object.keys(outputs[file].inputs).some((input) => input.includes(module)),
    );
  const vitalsInitial = inInitial('web-vitals');
  // idb is used only by the delivery engine, which loads after consent: in an initial chunk it
  // means the split was undone.
  const engineInitial = inInitial('node_modules/idb/');
  // What is loaded on demand (the delivery engine once consent is granted, web-vitals when
  // enabled): reported so that the split stays honest, not counted against the budget.
  const lazy = new Set();
  const visitLazy = (file) => {
    for (const imported of outputs[file].imports) {
      if (!outputs[imported.path] || initial.has(imported.path) || lazy.has(imported.path))
        continue;
      lazy.add(imported.path);
      visitLazy(imported.path);
    }
  };
  for (const file of initial) visitLazy(file);
  const lazyGzip = [...lazy].reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(root, file)), { level: 9 }).length,
    0,
  );
  // The consent sources are for apps that import telemetry-kit/consent: in another entry's
  // initial chunk (their module, or the CMP APIs they call) they would cost every app.
  const consentInitial =
    !scenario.needs.endsWith('consent.js') &&
    (inInitial('dist/consent.js') || /__tcfapi|__gpp|OneTrustGroupsUpdated/.test(code));
  const ok = gzip <= scenario.ceiling && !vitalsInitial && !engineInitial && !consentInitial;
  if (!ok) failed = true;
  rows.push([
    scenario.name,
    `${kb(gzip)} gzip / ${kb(brotli)} br`,
    lazy.size ? `${kb(lazyGzip)} gzip in ${lazy.size} file(s)` : '-',
    kb(scenario.ceiling),
    scenario.budget === null
      ? '-'
      : `${kb(scenario.budget)}${gzip > scenario.budget ? ' (not met)' : ''}`,
    scenario.target === null ? '-' : kb(scenario.target),
    ok
      ? 'ok'
      : vitalsInitial
        ? 'FAIL: web-vitals in initial chunk'
        : engineInitial
          ? 'FAIL: idb (the delivery engine) in initial chunk'
          : consentInitial
            ? 'FAIL: consent-source code in initial chunk'
            : 'FAIL: over the ceiling',
  ]);
}

console.log(
  '| bundle | initial chunk | loaded on demand | CI ceiling | budget (issue 6) | target | result |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
rmSync(work, { recursive: true, force: true });
if (failed) {
  console.error(
    '\nA bundle is over its CI ceiling (or web-vitals, the delivery engine or consent-source code is in an initial chunk).',
  );
  process.exit(1);
}
