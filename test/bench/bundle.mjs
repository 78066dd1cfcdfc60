import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');

/** The public names resolve to the sources, as in vitest.config.ts: the bench measures src/. */
const publicNames = {
  'telemetry-kit': join(root, 'src/index.ts'),
  'telemetry-kit/react': join(root, 'react/index.ts'),
};

const telemetryKitSources = {
  name: 'telemetry-kit-sources',
  setup(build) {
    build.onResolve({ filter: /^telemetry-kit(\/react)?$/ }, (args) => ({
      path: publicNames[args.path],
    }));
  },
};

/**
 * Bundles one page of the bench as an app would ship it: minified, code-split (dynamic imports
 * become chunks loaded on demand), production React. Peers resolve from test/bench/node_modules.
 * Returns the files by URL path under `/assets/<name>/`, with their gzip sizes.
 */
export async function bundlePage(name, { minify = true } = {}) {
  const result = await build({
    entryPoints: { [name]: join(here, 'pages', `${name.replace(/-profile$/, '')}.js`) },
    bundle: true,
    minify,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    outdir: `/assets/${name}`,
    write: false,
    metafile: true,
    nodePaths: [join(here, 'node_modules'), join(root, 'node_modules')],
    plugins: [telemetryKitSources],
    define: { __SDK_VERSION__: '"bench"', 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    // The unminified profiling bundle carries a source map, so profiles name src/ lines.
    sourcemap: minify ? false : 'external',
    logLevel: 'silent',
  });
  const files = result.outputFiles
    .filter((file) => !file.path.endsWith('.map'))
    .map((file) => ({
      path: `/assets/${name}/${file.path.split('/').pop()}`,
      text: file.text,
      bytes: file.contents.length,
      gzip: gzipSync(file.contents, { level: 9 }).length,
    }));
  const entry = files.find((file) => file.path.endsWith(`/${name}.js`));
  // One map per output file: a profile's frame is located in the chunk it ran in.
  const sourceMaps = {};
  for (const file of result.outputFiles)
    if (file.path.endsWith('.js.map'))
      sourceMaps[`/assets/${name}/${file.path.split('/').pop().slice(0, -4)}`] = JSON.parse(
        file.text,
      );
  return { name, entry: entry.path, files, sourceMaps: minify ? null : sourceMaps };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Maps a position in one of a page's files (its URL, 0-based line and column) to `source:line`
 * through that file's source map. Returns null where there is no map or it has nothing.
 */
export function createPositionLookup(sourceMaps) {
  const byPath = new Map(
    Object.entries(sourceMaps).map(([path, map]) => [path, createMapLookup(map)]),
  );
  return (url, line, column) => {
    let path;
    try {
      path = new URL(url).pathname;
    } catch {
      return null;
    }
    return byPath.get(path)?.(line, column) ?? null;
  };
}

/** One source map (version 3, VLQ mappings): generated line and column to `source:line`. */
function createMapLookup(sourceMap) {
  const lines = [];
  let source = 0;
  let sourceLine = 0;
  for (const line of sourceMap.mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length >= 4) {
        source += values[1];
        sourceLine += values[2];
        segments.push([column, source, sourceLine]);
      }
    }
    lines.push(segments);
  }
  // Sources are relative to the virtual outdir /assets/<name>/.
  const clean = (path) => {
    const absolute = `/${path.replace(/^(\.\.\/)+/, '')}`;
    const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(absolute);
    return dependency ? dependency[1] : relative(root, absolute);
  };
  return (line, column) => {
    const segments = lines[line];
    if (!segments?.length) return null;
    let found = null;
    for (const segment of segments) {
      if (segment[0] > column) break;
      found = segment;
    }
    found ??= segments[0];
    return { file: clean(sourceMap.sources[found[1]]), line: found[2] + 1 };
  };
}

/** The version field of an installed package, looked up from the bench first. */
export function packageVersion(pkg) {
  for (const base of [join(here, 'node_modules'), join(root, 'node_modules')]) {
    const file = join(base, pkg, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return 'not installed';
}

export const benchDir = here;
