import { describe, expect, it } from 'vitest';
import { createMountCounter } from '../../src/pipeline/createMountCounter.js';

const info = { library: '@acme/ui', version: '2.1.0' };

/** The counts of one window as `{ props as JSON: count }`, for readable expectations. */
function countsByProps(counter: ReturnType<typeof createMountCounter>) {
  return Object.fromEntries(
    counter.drain().map((mount) => [JSON.stringify(mount.props), mount.count]),
  );
}

describe('mount counter', () => {
  it('counts repeated calls as one combination, and props in another order too', () => {
    const counter = createMountCounter(() => 0);
    for (let i = 0; i < 3; i++) counter.add('Button', { variant: 'primary', size: 'md' }, info);
    counter.add('Button', { size: 'md', variant: 'primary' }, info);
    counter.add('Button', { size: 'md', variant: 'primary', onClick: () => {} }, info);
    expect(countsByProps(counter)).toEqual({ '{"size":"md","variant":"primary"}': 5 });
  });

  it("tells '1', 1 and true apart, and null from a missing prop", () => {
    const counter = createMountCounter(() => 0);
    for (const value of ['1', 1, true, '1', 1, true, null, undefined])
      counter.add('Badge', { value }, info);
    expect(countsByProps(counter)).toEqual({
      '{"value":"1"}': 2,
      '{"value":1}': 2,
      '{"value":true}': 2,
      '{"value":null}': 1,
      '{}': 1,
    });
  });

  it('keeps one count per value of a prop with many values', () => {
    const counter = createMountCounter(() => 0);
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 40; i++) counter.add('Tab', { index: i }, info);
    const counts = countsByProps(counter);
    expect(Object.keys(counts)).toHaveLength(40);
    expect(Object.values(counts).every((count) => count === 3)).toBe(true);
  });

  it('tells components, libraries and versions apart, and counts non-string ones as none', () => {
    const counter = createMountCounter(() => 0);
    const calls: Array<[string, object | undefined]> = [
      ['Button', info],
      ['Card', info],
      ['Button', { library: '@acme/ui', version: '3.0.0' }],
      ['Button', { library: '@other/ui', version: '2.1.0' }],
      ['Button', undefined],
      ['Button', { library: 42, version: {} }],
      ['Button', info],
    ];
    for (const [name, callInfo] of calls) counter.add(name, {}, callInfo as typeof info);
    const counts = counter
      .drain()
      .map((mount) => `${mount.component} ${mount.library} ${mount.version} ${mount.count}`);
    expect(counts).toEqual([
      'Button @acme/ui 2.1.0 2',
      'Card @acme/ui 2.1.0 1',
      'Button @acme/ui 3.0.0 1',
      'Button @other/ui 2.1.0 1',
      'Button   2',
    ]);
  });

  it('drops NaN and infinite numbers, however often they come', () => {
    const counter = createMountCounter(() => 0);
    for (let i = 0; i < 1_000; i++) counter.add('Chart', { ratio: Number.NaN, scale: 2 }, info);
    counter.add('Chart', { ratio: Number.POSITIVE_INFINITY, scale: 2 }, info);
    expect(countsByProps(counter)).toEqual({ '{"scale":2}': 1_001 });
  });

  it('counts props it cannot read plainly: a getter that throws, a Proxy', () => {
    const counter = createMountCounter(() => 0);
    const throwing = {
      variant: 'primary',
      get weight(): string {
        throw new Error('no');
      },
    };
    const proxy = new Proxy({ variant: 'primary' }, {});
    counter.add('Button', throwing, info);
    counter.add('Button', throwing, info);
    counter.add('Button', proxy, info);
    expect(countsByProps(counter)).toEqual({ '{"variant":"primary"}': 3 });
  });

  it('keeps counting exactly once its index of calls is full', () => {
    const counter = createMountCounter(() => 0);
    // 300 combinations of 30 props each: far more steps than the index keeps.
    const propsOf = (n: number) =>
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, n * 100 + i]));
    for (let round = 0; round < 2; round++)
      for (let n = 0; n < 300; n++) counter.add('Grid', propsOf(n), info);
    const mounts = counter.drain();
    expect(mounts).toHaveLength(300);
    expect(mounts.every((mount) => mount.count === 2)).toBe(true);
  });

  it('starts each window afresh', () => {
    let now = 1;
    const counter = createMountCounter(() => now++);
    counter.add('Button', { variant: 'primary' }, info);
    counter.add('Button', { variant: 'primary' }, info);
    expect(counter.drain().map((mount) => [mount.count, mount.firstAt])).toEqual([[2, 1]]);
    counter.add('Button', { variant: 'primary' }, info);
    expect(counter.peek().map((mount) => [mount.count, mount.firstAt])).toEqual([[1, 2]]);
    counter.discard();
    expect(counter.peek()).toEqual([]);
  });
});
