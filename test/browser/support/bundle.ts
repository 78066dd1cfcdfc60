import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The purpose-made pages under `test/browser/pages/`, each bundled as `/assets/<name>.js`. */
export type PageName = 'harness' | 'vitals' | 'consentSources';

const PAGES: readonly PageName[] = ['harness', 'vitals', 'consentSources'];
const pagesDir = fileURLToPath(new URL('../pages/', import.meta.url));

export interface Assets {
  /** Bundled files by URL path (`/assets/harness.js`, `/assets/chunk-XXXX.js`). */
  files: ReadonlyMap<string, string>;
  /** URL paths of the chunks that hold `web-vitals` (loaded only after consent). */
  webVitalsChunks: string[];
  /** URL paths of the chunks that hold the delivery engine (loaded only after consent). */
  engineChunks: string[];
  /** The engine's chunks and every chunk they import: what loading the engine may fetch. */
  deliveryChunks: string[];
}

/**
 * Bundles every page entry with the core from `src/` (not a build of the package): the suite
 * tests the sources as they are. `splitting` keeps `web-vitals` in its own chunk, as an app's
 * bundler would, so the lazy `import('web-vitals')` after consent is a real extra request.
 */
export async function bundlePages(): Promise<Assets> {
  const result = await build({
    entryPoints: Object.fromEntries(PAGES.map((name) => [name, `${pagesDir}${name}.ts`])),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    outdir: '/assets',
    write: false,
    define: { __SDK_VERSION__: '"0.0.0-test"' },
    logLevel: 'silent',
    metafile: true,
  });
  const urlOf = (path: string) => `/assets/${path.split('/').pop()}`;
  const chunksWith = (module: string) =>
    Object.entries(result.metafile.outputs)
      .filter(([, output]) => Object.keys(output.inputs).some((input) => input.includes(module)))
      .map(([path]) => urlOf(path));
  const outputs = result.metafile.outputs;
  const delivery = new Set<string>();
  const visit = (path: string) => {
    if (delivery.has(path)) return;
    delivery.add(path);
    for (const imported of outputs[path]?.imports ?? [])
      if (imported.kind === 'import-statement') visit(imported.path);
  };
  for (const [path, output] of Object.entries(outputs))
    if (Object.keys(output.inputs).some((input) => input.includes('src/engine/createEngine.ts')))
      visit(path);
  return {
    files: new Map(result.outputFiles.map((file) => [urlOf(file.path), file.text])),
    webVitalsChunks: chunksWith('web-vitals'),
    engineChunks: chunksWith('src/engine/createEngine.ts'),
    deliveryChunks: [...delivery].map(urlOf),
  };
}
