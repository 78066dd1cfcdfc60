/**
 * Orders version strings oldest first, as semver does where they are semver: numeric parts as
 * numbers (`1.10.0` after `1.9.0`), a pre-release before its release (`2.0.0-beta.1` before
 * `2.0.0`), build metadata (`+...`) ignored. Other strings compare the same way run by run, so
 * `v2` and `2024.11` still sort sensibly; the empty version (none recorded) comes first.
 *
 * @see https://semver.org/#spec-item-11
 */
export function compareVersions(a: string, b: string): number {
  const [releaseA = '', preA] = splitPrerelease(a);
  const [releaseB = '', preB] = splitPrerelease(b);
  const byRelease = compareRuns(releaseA, releaseB);
  if (byRelease !== 0) return byRelease;
  if (preA === undefined || preB === undefined)
    return preA === preB ? 0 : preA === undefined ? 1 : -1;
  return compareRuns(preA, preB);
}

function splitPrerelease(version: string): [string, string | undefined] {
  const withoutBuild = version.replace(/^v(?=\d)/, '').split('+')[0] ?? '';
  const dash = withoutBuild.indexOf('-');
  return dash < 0
    ? [withoutBuild, undefined]
    : [withoutBuild.slice(0, dash), withoutBuild.slice(dash + 1)];
}

/** Digit runs compare as numbers, everything else as text; a shorter prefix comes first. */
function compareRuns(a: string, b: string): number {
  const runsA = a.match(/\d+|\D+/g) ?? [];
  const runsB = b.match(/\d+|\D+/g) ?? [];
  for (let index = 0; index < Math.min(runsA.length, runsB.length); index += 1) {
    const runA = runsA[index] ?? '';
    const runB = runsB[index] ?? '';
    const numeric = /^\d/.test(runA) && /^\d/.test(runB);
    const order = numeric
      ? Number(runA) - Number(runB) || runA.length - runB.length
      : compareText(runA, runB);
    if (order !== 0) return Math.sign(order);
  }
  return Math.sign(runsA.length - runsB.length);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
