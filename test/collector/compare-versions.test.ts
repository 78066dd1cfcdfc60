import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../collector/compare-versions.js';

describe('compareVersions: the order the dashboard calls oldest to newest', () => {
  it('orders semver versions as semver does', () => {
    const shuffled = [
      '1.10.0',
      '2.0.0',
      '1.2.0',
      '2.0.0-beta.2',
      '1.9.3',
      '2.0.0-beta.10',
      '0.9.0',
    ];
    expect([...shuffled].sort(compareVersions)).toEqual([
      '0.9.0',
      '1.2.0',
      '1.9.3',
      '1.10.0',
      '2.0.0-beta.2',
      '2.0.0-beta.10',
      '2.0.0',
    ]);
  });

  it('ignores build metadata and a leading v, and puts the unrecorded version first', () => {
    expect(compareVersions('1.0.0+build.5', '1.0.0')).toBe(0);
    expect(compareVersions('v1.2.0', '1.2.0')).toBe(0);
    expect(compareVersions('', '0.0.1')).toBe(-1);
    expect(compareVersions('1.0', '1.0.1')).toBe(-1);
    expect(compareVersions('2024.11', '2024.2')).toBe(1);
  });
});
