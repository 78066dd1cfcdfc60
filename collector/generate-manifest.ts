import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { LIMITS } from 'telemetry-kit/wire';
import type * as TS from 'typescript';
import { findComponents } from './find-components.js';
import {
  checkManifest,
  MANIFEST_LIMITS,
  type Manifest,
  type ManifestComponent,
} from './manifest-schema.js';

/** What to generate a manifest from. */
export interface ManifestSource {
  /** The library's entry: a `.ts` / `.tsx` source or its published `.d.ts`. */
  entry: string;
  /** Default: `name` of the nearest package.json above the entry. */
  library?: string | undefined;
  /** Default: `version` of that package.json. */
  libraryVersion?: string | undefined;
  /** What a relative `entry` is relative to. Default `process.cwd()`. */
  cwd?: string | undefined;
}

/** The manifest, with what is worth telling its author, or why there is none. */
export type ManifestGeneration =
  | { ok: true; manifest: Manifest; notes: string[] }
  | { ok: false; reason: string };

/** `.ts`, `.tsx`, `.mts`, `.cts` and their `.d.*` declarations. */
const ENTRY_FILE = /\.(d\.)?[cm]?tsx?$/;

/**
 * Reads a component library's exports with the TypeScript compiler and writes its manifest
 * (`findComponents` says what counts). The result is checked against the collector's own
 * schema, so what this returns is what `PUT /v1/manifests/:library` accepts.
 *
 * @param ts - The compiler API; the caller loads it (an optional peer dependency).
 * @param source - The entry, and the name and version when no package.json gives them.
 */
export function generateManifest(ts: typeof TS, source: ManifestSource): ManifestGeneration {
  const entry = resolve(source.cwd ?? process.cwd(), source.entry);
  if (!ENTRY_FILE.test(entry)) {
    return fail(`${source.entry} is not a TypeScript entry (.ts, .tsx or .d.ts)`);
  }
  if (!statSync(entry, { throwIfNoEntry: false })?.isFile()) {
    return fail(`no such file: ${source.entry}`);
  }
  const pkg = nearestPackage(dirname(entry));
  const library = source.library ?? pkg?.name;
  if (!library) {
    return fail(`no package.json with a "name" above ${source.entry}: pass --library <name>`);
  }
  const notes: string[] = [];
  let version = source.libraryVersion ?? pkg?.version;
  if (!version) {
    version = '0.0.0';
    notes.push('no "version" in a package.json above the entry: 0.0.0 (pass --library-version)');
  }
  // The library's own files: its package (its entry's folder without one), minus dependencies.
  const root = pkg?.directory ?? dirname(entry);
  const program = ts.createProgram([entry], compilerOptions(ts, dirname(entry), root));
  const sourceFile = program.getSourceFile(entry);
  if (!sourceFile) return fail(`TypeScript could not read ${source.entry}`);
  const components = findComponents(ts, {
    checker: program.getTypeChecker(),
    entry: sourceFile,
    isOwnFile: (fileName) => isInside(root, fileName),
  });
  if (components.length === 0) {
    return fail(`${source.entry} exports no React components: is it a component library's entry?`);
  }
  const checked = checkManifest({ library, version, components: withinLimits(components, notes) });
  if (!checked.ok) return fail(`the collector would refuse this manifest: ${checked.reason}`);
  return { ok: true, manifest: checked.manifest, notes };
}

function fail(reason: string): ManifestGeneration {
  return { ok: false, reason };
}

/** The nearest package.json that names a package (`{ "type": "module" }` markers are skipped). */
function nearestPackage(
  from: string,
): { directory: string; name: string; version: string | undefined } | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    const pkg = readJson(join(directory, 'package.json'));
    if (typeof pkg?.name === 'string' && pkg.name.length > 0) {
      const version = typeof pkg.version === 'string' && pkg.version ? pkg.version : undefined;
      return { directory, name: pkg.name, version };
    }
    if (dirname(directory) === directory) return undefined;
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The library's own tsconfig.json when it has one (its `paths`, its `jsx`), else settings that
 * read any modern library: React's JSX runtime, bundler resolution, strict null checks (without
 * them `boolean | undefined` and `'a' | undefined` lose their shape).
 */
function compilerOptions(ts: typeof TS, from: string, root: string): TS.CompilerOptions {
  const defaults: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const configPath = ts.findConfigFile(from, ts.sys.fileExists);
  if (!configPath || !isInside(root, configPath)) return defaults;
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error || typeof read.config !== 'object') return defaults;
  // Only the options: its `include` would list files this never reads.
  const { compilerOptions: options, extends: base } = read.config;
  const parsed = ts.parseJsonConfigFileContent(
    { compilerOptions: options, ...(base === undefined ? {} : { extends: base }), files: [] },
    ts.sys,
    dirname(configPath),
  );
  return { ...parsed.options, noEmit: true, skipLibCheck: true };
}

function isInside(root: string, fileName: string): boolean {
  const path = relative(root, fileName);
  return (
    path !== '' &&
    !path.startsWith('..') &&
    !isAbsolute(path) &&
    !path.split(/[\\/]/).includes('node_modules')
  );
}

/**
 * Leaves out what the collector could never match, so one odd prop does not cost the manifest:
 * a prop with more values than it takes (an icon's 2,000 names), or with a value longer than a
 * mount reports (the client cuts prop values at LIMITS.propValue). Long deprecation messages
 * are cut.
 */
function withinLimits(components: ManifestComponent[], notes: string[]): ManifestComponent[] {
  return components.map((component) => {
    const bounded: ManifestComponent = { ...component };
    if (typeof component.deprecated === 'string') {
      bounded.deprecated = component.deprecated.slice(0, MANIFEST_LIMITS.deprecationMessage);
    }
    if (!component.props) return bounded;
    const props = Object.entries(component.props).filter(([prop, values]) => {
      const tooMany = values.length > MANIFEST_LIMITS.valuesPerProp;
      const tooLong = values.some((v) => typeof v === 'string' && v.length > LIMITS.propValue);
      if (tooMany || tooLong) {
        notes.push(
          `${component.name}.${prop} left out: ${tooMany ? `${values.length} values, more than ${MANIFEST_LIMITS.valuesPerProp}` : `a value longer than ${LIMITS.propValue} characters`}`,
        );
      }
      return !tooMany && !tooLong;
    });
    if (props.length > 0) bounded.props = Object.fromEntries(props);
    else delete bounded.props;
    return bounded;
  });
}
