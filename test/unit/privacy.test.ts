import { LIMITS } from 'telemetry-kit/wire';
import { describe, expect, it } from 'vitest';
import { MESSAGE_TEXTS } from '../../src/lib/messageTexts.js';
import { coarseContext } from '../../src/pipeline/coarseContext.js';
import { cleanMetadata, isSecretKey, sanitizePath, scrubString } from '../../src/pipeline/scrub.js';

const clean = (value: unknown) => {
  const problems: string[] = [];
  // Numbered messages as the debug reporter tells them (src/lib/debug.ts).
  const result = cleanMetadata(value, (problem, subject = '') =>
    problems.push(
      typeof problem === 'string' ? problem : MESSAGE_TEXTS[problem].replace('{}', subject),
    ),
  );
  return { value: result.value, problems };
};

describe('scrubbing strings', () => {
  it.each([
    ['contact jane.doe+work@example.co.uk now', 'contact [email] now'],
    ['from 192.168.10.4 and 2001:db8:85a3:0:0:8a2e:370:7334', 'from [ip] and [ip]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc123_-', 'token [jwt]'],
    ['Authorization: Bearer abcdefghijklmnop1234', 'Authorization: [token]'],
    [
      'GET /api?user=1&access_token=abc123&page=2',
      'GET /api?user=1&access_token=[redacted]&page=2',
    ],
    ['key sk_live_51HqLyjWDarjtT1zdp7dcXWkLrT3GZ9kQ4Xn in config', 'key [secret] in config'],
    ['aws AKIAIOSFODNN7EXAMPLE', 'aws [secret]'],
    ['card 4111 1111 1111 1111 expired', 'card [card] expired'],
    ['order 1234 5678 9012 3456 shipped', 'order 1234 5678 9012 3456 shipped'],
    ['primary', 'primary'],
    ['2026-01-01T10:20:30Z', '2026-01-01T10:20:30Z'],
  ])('%s', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each([
    ['IBAN DE89 3704 0044 0532 0130 00 rejected', 'IBAN [iban] rejected'],
    ['to GB82WEST12345698765432.', 'to [iban].'],
    ['GB82 WEST 1234 5698 7654 32 OK', '[iban] OK'],
    ['SSN 123-45-6789 on file', 'SSN [ssn] on file'],
    ['call +44 20 7946 0958 now', 'call [phone] now'],
    ['+1-202-555-0173', '[phone]'],
    ['(202) 555-0173 busy', '[phone] busy'],
    ['landline 020 7946 0958', 'landline [phone]'],
    ['portable 06 12 34 56 78', 'portable [phone]'],
    ['tel:+33612345678', 'tel:[phone]'],
    ['(202) 555-0173 x1234 busy', '[phone] busy'],
    ['from abroad 0044 20 7946 0958', 'from abroad [phone]'],
    // Luhn-valid, but after a + it is a phone number, not a card.
    ['call +49582243761186', 'call [phone]'],
    ['status 404 for 0612345678', 'status 404 for [phone]'],
    ['open /Users/anna/project/app.js', 'open /Users/[user]/project/app.js'],
    ['at load (/home/anna/app/index.js:1:2)', 'at load (/home/[user]/app/index.js:1:2)'],
    ['C:\\Users\\Anna\\AppData\\x.dll', 'C:\\Users\\[user]\\AppData\\x.dll'],
    ['file:///C:/Users/Anna Smith/Desktop/a.js', 'file:///C:/Users/[user]/Desktop/a.js'],
    ['ENOENT c:\\users\\anna', 'ENOENT c:\\users\\[user]'],
    [
      'db https://admin:s3cr3t@db.example.com:5432/x',
      'db https://[credentials]@db.example.com:5432/x',
    ],
    ['postgres://app:p@ss@localhost/db', 'postgres://[credentials]@localhost/db'],
    [
      'key -----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END RSA PRIVATE KEY----- bad',
      'key [private key] bad',
    ],
    ['cut -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg', 'cut [private key]'],
    [
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n-----END OPENSSH PRIVATE KEY-----',
      '[private key]',
    ],
  ])('%s (personal data added in issue 14)', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each([
    'GB82 WEST 1234 5698 7654 33 and GB83WEST12345698765432 fail their check digits',
    'ssn 000-12-3456, 666-12-3456, 900-12-3456, 123-00-4567, 123-45-0000',
    'release v2.14.0, build 10.0.19045.3803, 1.2.300.4, 1.2.3.4.5',
    'on 2026-12-02 at 10:20:30, 12/02/2026, 02.12.2026',
    'took 1500ms, elapsed 00:01:23, HTTP 503, chunk 12345 of 99999',
    '1,234,567 rows; 1 234 567 bytes; 12 345 678 ms; ports 8080 8081 8082',
    'expected 200 201 204, got 500; localhost:3000; #0ac2fc; ts 1718000000000; 0.123456789',
    'GET https://example.com/home/feed 503',
    // A millisecond timestamp that passes Luhn: card numbers start with 2 to 6.
    'timestamp 1796175937558 is in the future',
    '/users/42/profile',
    '-----BEGIN PUBLIC KEY----- is not secret',
  ])('keeps %s', (input) => {
    expect(scrubString(input)).toBe(input);
  });

  it('scrubs an IP but not a dotted number that cannot be one', () => {
    expect(scrubString('build 1.2.3.4 from 10.0.0.1.')).toBe('build [ip] from [ip].');
  });

  it('truncates long strings', () => {
    const long = scrubString('a'.repeat(5_000));
    expect(long).toHaveLength(LIMITS.stringLength);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('cleaning metadata', () => {
  it('removes keys that look like secrets, whatever their values', () => {
    const { value } = clean({
      password: 'x',
      apiKey: 'x',
      Authorization: 'x',
      session_id: 'x',
      ok: 1,
      author: 'Ann',
    });
    expect(value).toEqual({ ok: 1, author: 'Ann' });
    expect(isSecretKey('refresh_token')).toBe(true);
    expect(isSecretKey('variant')).toBe(false);
  });

  it('repairs values that are not JSON, never throwing', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const { value, problems } = clean({
      fn: () => {},
      sym: Symbol('s'),
      big: 10n,
      nan: Number.NaN,
      date: new Date('2026-01-01T00:00:00Z'),
      error: new Error('bad a@b.co'),
      circular,
      map: new Map([['k', 1]]),
      set: new Set(['a']),
      undef: undefined,
    });
    expect(value).toEqual({
      big: '10',
      nan: null,
      date: '2026-01-01T00:00:00.000Z',
      error: { name: 'Error', message: 'bad [email]' },
      circular: { name: 'loop', self: '[circular]' },
      map: { k: 1 },
      set: ['a'],
    });
    expect(problems.length).toBeGreaterThan(3);
  });

  it('limits depth, keys and array length', () => {
    const deep = { a: { b: { c: { d: { e: { f: 'too deep' } } } } } };
    expect(JSON.stringify(clean(deep).value)).not.toContain('too deep');
    const wide = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(clean(wide).value)).toHaveLength(LIMITS.keysPerObject);
    expect(
      (clean({ list: Array.from({ length: 80 }, (_, i) => i) }).value.list as unknown[]).length,
    ).toBe(LIMITS.arrayLength);
  });

  it('survives hostile objects: throwing getters, Proxies, throwing toJSON', () => {
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys for you');
        },
      },
    );
    const getter = Object.defineProperty({ fine: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const { value } = clean({
      proxy,
      getter,
      json: {
        toJSON: () => {
          throw new Error('x');
        },
      },
    });
    expect(value).toEqual({ getter: { fine: 1 }, json: {} });
  });

  it('cleans a payload the same at the top level as nested, size included', () => {
    const flat = {
      feature: 'export',
      mail: 'a@b.co',
      rows: 3,
      ok: true,
      none: null,
      gone: undefined,
    };
    // The same values one level down: the size also counts the outer key and braces.
    const nested = cleanMetadata({ n: flat }, () => {});
    const direct = cleanMetadata(flat, () => {});
    expect(direct.value).toEqual(nested.value.n);
    expect(direct.value).toEqual({
      feature: 'export',
      mail: '[email]',
      rows: 3,
      ok: true,
      none: null,
    });
    expect(direct.size).toBe(nested.size - 2 - ('n'.length + 4));
    // Inherited keys, secrets, NaN and throwing getters: repaired, and reported.
    const inherited = Object.create({ leaked: 'from the prototype' }) as Record<string, unknown>;
    inherited.own = 1;
    expect(clean(inherited).value).toEqual({ own: 1 });
    expect(clean({ password: 'x', n: Number.NaN }).problems).toHaveLength(2);
    const getter = Object.defineProperty({ fine: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(clean(getter)).toEqual({
      value: { fine: 1 },
      problems: ['metadata getter threw; key dropped'],
    });
  });

  it('ignores metadata that is not an object', () => {
    expect(clean('hello').value).toEqual({});
    expect(clean([1, 2]).value).toEqual({});
  });
});

describe('paths', () => {
  it.each([
    ['/orders/123?utm_source=mail#section', '/orders/:id'],
    ['/u/550e8400-e29b-41d4-a716-446655440000/settings', '/u/:id/settings'],
    ['/files/9f86d081884c7d659a2feaa0c55ad015', '/files/:id'],
    ['/reset/aB3dE5gH7jK9mN1pQ3sT5v', '/reset/:id'],
    ['https://example.com/a/b?x=1', '/a/b'],
    ['/users/jane@example.com', '/users/[email]'],
    ['', '/'],
  ])('%s -> %s', (input, expected) => {
    expect(sanitizePath(input)).toBe(expected);
  });
});

describe('context', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      'chrome',
      'windows',
      'desktop',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      'safari',
      'ios',
      'mobile',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
      'chrome',
      'android',
      'mobile',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
      'firefox',
      'linux',
      'desktop',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0',
      'edge',
      'macos',
      'desktop',
    ],
  ])('%s', (userAgent, browser, os, device) => {
    const context = coarseContext({ userAgent, language: 'en-GB', maxTouchPoints: 0 } as Navigator);
    expect(context).toEqual({ browser, os, device, locale: 'en-GB' });
  });
});
