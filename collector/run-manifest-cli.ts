import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type * as TS from 'typescript';
import { generateManifest } from './generate-manifest.js';

/** The `--help` text. */
export const MANIFEST_USAGE = `Usage: telemetry-kit-manifest <entry .ts | .d.ts> [options]

Writes the manifest of a React component library (its exported components, the values of
their literal-union props, their @deprecated tags) for PUT /v1/manifests/:library.

  --library <name>           Library name (default: "name" of the nearest package.json)
  --library-version <v>      Library version (default: "version" of that package.json)
  --out <file>               Write the manifest there instead of standard output
  --help                     Show this text

Needs the typescript package (npm install --save-dev typescript).
`;

/** Where the command line reads and writes; tests pass their own. */
export interface ManifestCliEnvironment {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The compiler API, or undefined when it is not installed. Default: `import('typescript')`. */
  loadTypeScript?: () => Promise<typeof TS | undefined>;
}

/**
 * `telemetry-kit-manifest`: resolves to the exit code. 2 for a command line it cannot use, 1
 * when no manifest could be written; every failure is one line on stderr, never a stack trace.
 */
export async function runManifestCli(
  argv: readonly string[],
  environment: ManifestCliEnvironment,
): Promise<number> {
  const { cwd, stdout, stderr } = environment;
  const fail = (code: number, message: string, usage = false) => {
    stderr(`telemetry-kit-manifest: ${message}\n${usage ? `\n${MANIFEST_USAGE}` : ''}`);
    return code;
  };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return fail(2, error instanceof Error ? error.message : String(error), true);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    stdout(MANIFEST_USAGE);
    return 0;
  }
  const [entry, ...extra] = positionals;
  if (entry === undefined) return fail(2, 'name the library entry (.ts, .tsx or .d.ts)', true);
  if (extra.length > 0) return fail(2, `one entry only; also given: ${extra.join(' ')}`, true);

  const ts = await (environment.loadTypeScript ?? importTypeScript)();
  if (!ts) {
    return fail(1, 'the typescript package is not installed: npm install --save-dev typescript');
  }
  // TypeScript 7 is a native compiler: its package has no JavaScript compiler API.
  if (typeof ts.createProgram !== 'function') {
    const version = String((ts as { version?: unknown }).version ?? '');
    return fail(
      1,
      `typescript ${version} has no compiler API to read: npm install -D typescript@6`,
    );
  }
  let generated: ReturnType<typeof generateManifest>;
  try {
    generated = generateManifest(ts, {
      entry,
      library: values.library,
      libraryVersion: values['library-version'],
      cwd,
    });
  } catch (error) {
    // The compiler's own failures (an unreadable file, a crash on odd input): one line still.
    return fail(
      1,
      `TypeScript failed on ${entry}: ${error instanceof Error ? error.message : error}`,
    );
  }
  if (!generated.ok) return fail(1, generated.reason);
  for (const note of generated.notes) stderr(`telemetry-kit-manifest: ${note}\n`);
  const json = `${JSON.stringify(generated.manifest, null, 2)}\n`;
  if (values.out === undefined) {
    stdout(json);
    return 0;
  }
  try {
    await writeFile(resolve(cwd, values.out), json);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return fail(1, `cannot write ${values.out} (${code})`);
  }
  const { library, components } = generated.manifest;
  stderr(`telemetry-kit-manifest: ${library}, ${components.length} components → ${values.out}\n`);
  return 0;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      library: { type: 'string' },
      'library-version': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Loaded only here, so the collector itself never needs the compiler. */
async function importTypeScript(): Promise<typeof TS | undefined> {
  try {
    const imported = await import('typescript');
    return (imported.default ?? imported) as typeof TS;
  } catch {
    return undefined;
  }
}
