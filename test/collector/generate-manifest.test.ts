import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { generateManifest } from '../../collector/generate-manifest.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const UI_KIT = join(root, 'test/collector/fixtures/ui-kit');
// Each case builds a TypeScript program; react-bootstrap's declarations take a few seconds.
const SLOW = 60_000;

describe('generateManifest', () => {
  it(
    'finds function, forwardRef, memo and class components in a source entry, with literal props and @deprecated',
    () => {
      const generated = generateManifest(ts, { entry: join(UI_KIT, 'src/index.tsx') });
      expect(generated).toEqual({
        ok: true,
        notes: [],
        manifest: {
          library: '@fixture/ui-kit',
          version: '3.2.1',
          components: [
            { name: 'Badge', props: { shape: ['pill', 'square'] } },
            {
              name: 'Button',
              props: {
                disabled: [true, false],
                level: [1, 2, 3],
                variant: ['solid', 'outline', 'link'],
              },
            },
            { name: 'Divider' },
            { name: 'Icon', props: { name: ['close', 'search', 'arrow-left'] } },
            { name: 'Input', props: { tone: ['neutral', 'critical'] } },
            { name: 'LegacyPanel', deprecated: true, props: { padded: [true, false] } },
            { name: 'OldButton', deprecated: 'Use Button with variant="link" instead.' },
          ],
        },
      });
    },
    SLOW,
  );

  it(
    'reads published declarations: ForwardRefExoticComponent, MemoExoticComponent, FC, ComponentType',
    () => {
      const generated = generateManifest(ts, {
        entry: 'test/collector/fixtures/ui-kit/types/index.d.ts',
        cwd: root,
      });
      expect(generated.ok && generated.manifest.components).toEqual([
        { name: 'Banner', props: { placement: ['top', 'bottom'] } },
        // `as` is left out: beside a component type, strings are element names, not variants.
        { name: 'Chip', props: { dense: [true, false], tone: ['info', 'warning'] } },
        { name: 'Notice', deprecated: 'Use `Banner`.', props: { level: [1, 2, 3] } },
        { name: 'Spacer', props: { size: ['sm', 'lg'] } },
        { name: 'Tag', props: { color: ['red', 'blue'] } },
      ]);
    },
    SLOW,
  );

  it(
    "reads the playground's acme-ui, listing its own props and none of the DOM's",
    () => {
      const generated = generateManifest(ts, {
        entry: join(root, 'playground/src/acme-ui/index.ts'),
        library: 'acme-ui',
        libraryVersion: '1.4.0',
      });
      expect(generated).toEqual({
        ok: true,
        notes: [],
        manifest: {
          library: 'acme-ui',
          version: '1.4.0',
          components: [
            {
              name: 'Button',
              props: { size: ['sm', 'md'], variant: ['primary', 'secondary', 'ghost', 'danger'] },
            },
            { name: 'Card', props: { elevated: [true, false] } },
            { name: 'Tabs', props: { orientation: ['horizontal', 'vertical'] } },
          ],
        },
      });
    },
    SLOW,
  );

  it(
    "reads react-bootstrap's published .d.ts: Button's variant and size with their values",
    () => {
      const pkg = JSON.parse(
        readFileSync(join(root, 'node_modules/react-bootstrap/package.json'), 'utf8'),
      );
      const generated = generateManifest(ts, {
        entry: join(root, 'node_modules/react-bootstrap/esm/index.d.ts'),
      });
      if (!generated.ok) throw new Error(generated.reason);
      const { manifest } = generated;
      expect(manifest.library).toBe('react-bootstrap');
      expect(manifest.version).toBe(pkg.version);
      const button = manifest.components.find((component) => component.name === 'Button');
      // In the order react-bootstrap's types.d.ts writes them, `(string & {})` left out.
      expect(button?.props?.variant).toEqual([
        'primary',
        'secondary',
        'success',
        'danger',
        'warning',
        'info',
        'dark',
        'light',
        'link',
        'outline-primary',
        'outline-secondary',
        'outline-success',
        'outline-danger',
        'outline-warning',
        'outline-info',
        'outline-dark',
        'outline-light',
      ]);
      expect(button?.props?.size).toEqual(['sm', 'lg']);
      expect(button?.props?.active).toEqual([true, false]);
      const names = manifest.components.map((component) => component.name);
      expect(names).toEqual(expect.arrayContaining(['Modal', 'Navbar', 'Tabs', 'Card']));
      // Contexts and hooks are exports, not components.
      expect(names).not.toContain('AccordionContext');
      expect(names.some((name) => name.startsWith('use'))).toBe(false);
      expect(manifest.components.some((component) => component.props?.as)).toBe(false);
    },
    SLOW,
  );

  describe('refuses what is not a component library', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'telemetry-kit-manifest-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it(
      'a missing file, a file that is not TypeScript, an entry with no components',
      () => {
        expect(generateManifest(ts, { entry: 'nope/index.ts', cwd: root })).toEqual({
          ok: false,
          reason: 'no such file: nope/index.ts',
        });
        expect(generateManifest(ts, { entry: 'README.md', cwd: root })).toEqual({
          ok: false,
          reason: 'README.md is not a TypeScript entry (.ts, .tsx or .d.ts)',
        });
        expect(generateManifest(ts, { entry: 'src/wire/index.ts', cwd: root })).toEqual({
          ok: false,
          reason:
            "src/wire/index.ts exports no React components: is it a component library's entry?",
        });
      },
      SLOW,
    );

    it(
      'an entry with no package.json naming it, unless --library names it',
      () => {
        const entry = join(scratch, 'index.ts');
        writeFileSync(entry, 'export const answer = 42;\n');
        expect(generateManifest(ts, { entry })).toEqual({
          ok: false,
          reason: `no package.json with a "name" above ${entry}: pass --library <name>`,
        });
        expect(generateManifest(ts, { entry, library: 'mine' })).toMatchObject({
          ok: false,
          reason: expect.stringContaining('exports no React components'),
        });
      },
      SLOW,
    );
  });
});
