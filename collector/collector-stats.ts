import type { WebVitalRating } from './web-vital-thresholds.js';

/** A half-open time range: `from` inclusive, `to` exclusive. */
export interface StatsRange {
  from: Date;
  to: Date;
}

/**
 * What the figures are narrowed to. An empty or missing filter means all. Drop counts
 * (`device_drops`) come per batch with no install attached: the library filter leaves them.
 */
export interface StatsFilters {
  /** An app: only events of batches with this `service_name`. */
  service?: string | undefined;
  /**
   * A component library (`component.mount`'s `metadata.library`): component panels show its
   * components only; the other panels only the installs that mounted one of them.
   */
  library?: string | undefined;
}

/** What `EventStore.stats` reads: a range, optionally narrowed by filters. */
export interface StatsQuery extends StatsRange, StatsFilters {}

/** A primitive prop value, as `component.mount` records them. */
export type PropValue = string | number | boolean | null;

/** One row of component adoption. Mounts are weighted by 1 / `sampling_rate`. */
export interface ComponentAdoption {
  component: string;
  library: string;
  version: string;
  /** Sum of `metadata.count`. */
  mounts: number;
  /** Distinct anonymous ids that mounted it. */
  installs: number;
  /** Distinct services (apps) that mounted it. */
  services: number;
  /** The most mounted prop combinations, most first (at most three). */
  top_variants: { props: Record<string, PropValue>; mounts: number }[];
}

// A type, not an interface: rows of a query must be assignable to `SqlRow`.
/** One component of one library version in one app: `components` split by service. */
export type ComponentInService = {
  component: string;
  library: string;
  version: string;
  /** The batches' `service_name`. */
  service: string;
  /** Sum of `metadata.count`, weighted by 1 / `sampling_rate`. */
  mounts: number;
  /** Distinct anonymous ids of this service that mounted it. */
  installs: number;
};

/** Version adoption of one library in one ISO week (Monday, UTC). */
export interface LibraryWeek {
  library: string;
  week: string;
  /** Distinct installs that mounted any version of the library that week. */
  installs: number;
  /**
   * Installs per version, newest first (semver order, see `compareVersions`). An install that
   * upgraded during the week counts under both versions, so these may add up to more than
   * `installs`.
   */
  versions: { version: string; installs: number }[];
}

/** The numbers behind the dashboard, also served as JSON by `GET /v1/stats`. */
export interface CollectorStats {
  /**
   * The library's stored manifest held against its mounts: for the `library` filter, or without
   * one when exactly one library has a manifest. Absent when there is none.
   */
  manifest?: ManifestReport;
  range: { from: string; to: string };
  /** The filters applied, `null` where none was. */
  filters: { service: string | null; library: string | null };
  /** Services and libraries with events in the range, whatever the filters (100 at most each). */
  seen: { services: string[]; libraries: string[] };
  totals: {
    events: number;
    installs: number;
    sessions: number;
    page_views: number;
    errors: number;
    device_drops: number;
  };
  components: ComponentAdoption[];
  /** Component adoption per app, most mounted first. */
  component_services: ComponentInService[];
  /** Per library (with a name) and week, installs per version; by library, then week. */
  library_versions: LibraryWeek[];
  features: {
    feature: string;
    toggled_on: number;
    toggled_off: number;
    uses: number;
    installs: number;
  }[];
  pages: { path: string; views: number; installs: number }[];
  /** Every UTC day of the range, with the distinct installs active on it (zero included). */
  daily_active: { day: string; installs: number; page_views: number }[];
  /** ISO weeks (Monday, UTC) with the distinct installs active in them. */
  weekly_active: { week: string; installs: number }[];
  /**
   * Weekly return cohorts: installs grouped by the week they were first seen in the range;
   * `returning[k]` is how many of them were active `k` weeks later (`returning[0]` = size).
   */
  cohorts: { week: string; installs: number; returning: number[] }[];
  sessions: { count: number; ended: number; median_duration_ms: number | null };
  errors: {
    error_hash: string;
    error_class: string;
    message: string;
    source: string;
    count: number;
    installs: number;
    last_seen: string;
  }[];
  web_vitals: {
    path: string;
    name: string;
    p75: number;
    samples: number;
    rating: WebVitalRating;
  }[];
  /** Events lost on devices before they were sent, by reason (from batches' `dropped`). */
  device_drops: { reason: string; count: number }[];
  /**
   * Flows (`flow.start` / `flow.end`) by name, most started first: how each ended,
   * `success_rate` = succeeded / started (null with no start in the range), and the p50 / p95
   * of `flow.end`'s `duration_ms` (null with none).
   */
  flows: {
    flow: string;
    started: number;
    succeeded: number;
    failed: number;
    cancelled: number;
    abandoned: number;
    success_rate: number | null;
    p50_ms: number | null;
    p95_ms: number | null;
  }[];
}

/**
 * A library's manifest held against its mounts: the `manifest` field of `GET /v1/stats`.
 * Mounts are `metadata.count` weighted by 1 / `sampling_rate`, as in every stats panel.
 */
export interface ManifestReport {
  library: string;
  /** The version the stored manifest describes. */
  version: string;
  /** Components in the manifest with no mount in the range, in the manifest's order. */
  never_mounted: string[];
  /** Deprecated components that were mounted in the range, most mounted first. */
  deprecated_in_use: {
    component: string;
    /** The `@deprecated` message, or `true`. */
    deprecated: string | true;
    mounts: number;
    /** Distinct anonymous ids that mounted it. */
    installs: number;
    /** The apps (`service_name`) that mounted it, in name order. */
    services: string[];
  }[];
  /** Every prop the manifest lists, in its order, with every value it lists (0 when unused). */
  prop_coverage: {
    component: string;
    prop: string;
    values: { value: PropValue; mounts: number }[];
    /** The listed values with no mount, in the manifest's order. */
    unused: PropValue[];
  }[];
}
