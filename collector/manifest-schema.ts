import { LIMITS, looser } from 'telemetry-kit/wire';
import * as v from 'valibot';
import {
  boundedArray,
  boundedRecord,
  describeIssues,
  nonEmptyText,
  PARSE_CONFIG,
  textUpTo,
} from './bounded-schemas.js';
import type { PropValue } from './collector-stats.js';

/**
 * A component library's manifest (DESIGN.md, "Destinations"): what it exports, so the collector
 * can tell its author what is never mounted, which deprecated components are still in use and
 * which prop values nobody picks. Written by `telemetry-kit-manifest`, stored by
 * `PUT /v1/manifests/:library`.
 */
export interface Manifest {
  library: string;
  version: string;
  components: ManifestComponent[];
}

/** One exported component. */
export interface ManifestComponent {
  /** The name its `useComponentTracking(name, ...)` call reports. */
  name: string;
  /** The `@deprecated` message, or `true` for a tag without one. */
  deprecated?: boolean | string;
  /** Props whose type is a union of literals, each with every value it allows. */
  props?: Record<string, PropValue[]>;
}

/**
 * Bounds of a manifest. Names and values share the client's limits for what a mount reports
 * (with the collector's margin, `looser`): a name longer than a mount may carry could never be
 * matched. The counts are far above what libraries ship (react-bootstrap: about 150
 * components, its longest union 18 values), while keeping a stored manifest well under 1 MiB.
 */
export const MANIFEST_LIMITS = {
  components: 2_000,
  propsPerComponent: 100,
  valuesPerProp: 500,
  deprecationMessage: looser(LIMITS.stringLength),
} as const;

const VALUE = v.union([
  textUpTo(looser(LIMITS.propValue)),
  v.pipe(v.number(), v.finite()),
  v.boolean(),
  v.null(),
]);

const VALUES = v.pipe(
  boundedArray(VALUE, MANIFEST_LIMITS.valuesPerProp),
  v.minLength(1, 'must list at least one value'),
  v.check(
    (values) => new Set(values.map((value) => JSON.stringify(value))).size === values.length,
    'must not list a value twice',
  ),
);

const COMPONENT = v.strictObject({
  name: nonEmptyText(looser(LIMITS.name)),
  deprecated: v.optional(
    v.union(
      [v.boolean(), nonEmptyText(MANIFEST_LIMITS.deprecationMessage)],
      'must be a boolean or a message',
    ),
  ),
  props: v.optional(
    boundedRecord(
      nonEmptyText(looser(LIMITS.keyLength)),
      VALUES,
      MANIFEST_LIMITS.propsPerComponent,
    ),
  ),
});

const ManifestSchema = v.strictObject({
  library: nonEmptyText(looser(LIMITS.library)),
  version: nonEmptyText(looser(LIMITS.version)),
  components: v.pipe(
    boundedArray(COMPONENT, MANIFEST_LIMITS.components),
    v.check(
      (components) => new Set(components.map((c) => c.name)).size === components.length,
      'must not name a component twice',
    ),
  ),
});

/** A manifest after validation, or the first reason it was refused (`path: message`). */
export type ManifestCheck = { ok: true; manifest: Manifest } | { ok: false; reason: string };

/**
 * Validates a manifest and returns it in its stored form: `deprecated: false` left out, props in
 * name order (the order PostgreSQL's jsonb would not keep anyway), empty `props` left out.
 */
export function checkManifest(input: unknown): ManifestCheck {
  // valibot's objects take arrays too and would then report a missing `library`.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: '(root): must be an object { library, version, components }' };
  }
  const parsed = v.safeParse(ManifestSchema, input, PARSE_CONFIG);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.issues) };
  const { library, version, components } = parsed.output;
  return {
    ok: true,
    manifest: {
      library,
      version,
      components: components.map(({ name, deprecated, props }) => {
        const component: ManifestComponent = { name };
        if (deprecated !== undefined && deprecated !== false) component.deprecated = deprecated;
        const names = Object.keys(props ?? {}).sort();
        if (props && names.length > 0) {
          component.props = Object.fromEntries(names.map((prop) => [prop, props[prop] ?? []]));
        }
        return component;
      }),
    },
  };
}
