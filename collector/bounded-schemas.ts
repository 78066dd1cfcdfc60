import * as v from 'valibot';

/**
 * The valibot pieces every collector schema is built from (batches, manifests): bounded strings,
 * arrays and records, one parse configuration and one way to name the first problem.
 */

/** A string of at most `max` UTF-16 code units. */
export const textUpTo = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** A string of 1 to `max` UTF-16 code units. */
export const nonEmptyText = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));

// Size before content: `v.array(item)` would validate all 100,000 items of a hostile array
// before a `maxLength` after it could refuse; checking the length first (and stopping the pipe
// there, see PARSE_CONFIG) keeps the cost of a bad body proportional to the limit.
/** An array of at most `max` items, each `item`. */
export function boundedArray<T>(item: v.GenericSchema<T>, max: number): v.GenericSchema<T[]> {
  return v.pipe(v.array(v.unknown()), v.maxLength(max), v.array(item)) as v.GenericSchema<T[]>;
}

/** An object of at most `max` entries, each `key` to `value`. */
export function boundedRecord<T>(
  key: v.GenericSchema<string>,
  value: v.GenericSchema<T>,
  max: number,
): v.GenericSchema<Record<string, T>> {
  return v.pipe(
    v.record(v.string(), v.unknown()),
    v.maxEntries(max),
    v.record(key, value),
  ) as v.GenericSchema<Record<string, T>>;
}

/** Only the first issue is reported, so there is no reason to look for more. */
export const PARSE_CONFIG = { abortEarly: true, abortPipeEarly: true } as const;

/** `path: message` of the first issue: enough for a developer, small enough for a response. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const [issue] = issues;
  if (!issue) return 'invalid';
  const path = v.getDotPath(issue);
  return `${path ?? '(root)'}: ${issue.message}`.slice(0, 300);
}
