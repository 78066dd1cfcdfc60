import { describe, expect, it } from 'vitest';
import { countEvents, ingestRequest, makeBatch, makeEvent, sharedCollector } from './fixtures.js';

/**
 * "Hardened against bad input: ... → 4xx with a JSON reason, never 5xx, never a crash."
 * Each row is one hostile or broken request; every one must get a 4xx with `{ error, reason }`
 * and leave the database empty.
 */
const shared = sharedCollector({ rateLimit: false, allowedOrigins: ['https://app.example'] });

type Case = { kind: string; name: string; request: () => Request; status?: number };

const text =
  (body: string, headers: Record<string, string> = {}) =>
  () =>
    ingestRequest(body, headers);
const json = (body: unknown, headers: Record<string, string> = {}) =>
  text(JSON.stringify(body), headers);
const batchWith = (event: unknown) => json(makeBatch([event]));
const eventWith = (fields: Record<string, unknown>) => batchWith({ ...makeEvent(), ...fields });
const envelopeWith = (fields: Record<string, unknown>) =>
  json({ ...makeBatch([makeEvent()]), ...fields });
const withoutKey = (key: string) => {
  const batch: Record<string, unknown> = { ...makeBatch([makeEvent()]) };
  delete batch[key];
  return json(batch);
};
const eventWithout = (key: string) => {
  const event: Record<string, unknown> = { ...makeEvent() };
  delete event[key];
  return batchWith(event);
};
const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
};

const CASES: Case[] = [
  // Malformed JSON
  { kind: 'malformed JSON', name: 'not JSON at all', request: text('{not json') },
  { kind: 'malformed JSON', name: 'truncated', request: text('{"service_name":"a","events":[') },
  { kind: 'malformed JSON', name: 'empty body', request: text('') },
  { kind: 'malformed JSON', name: 'trailing garbage', request: text('{}{}') },
  { kind: 'malformed JSON', name: 'single quotes', request: text("{'events':[]}") },
  // Not an object
  { kind: 'wrong top-level type', name: 'null', request: text('null') },
  { kind: 'wrong top-level type', name: 'number', request: text('42') },
  { kind: 'wrong top-level type', name: 'string', request: text('"batch"') },
  { kind: 'wrong top-level type', name: 'array of events', request: json([makeEvent()]) },
  // Wrong envelope types
  {
    kind: 'wrong types',
    name: 'service_name is a number',
    request: envelopeWith({ service_name: 7 }),
  },
  {
    kind: 'wrong types',
    name: 'events is an object',
    request: envelopeWith({ events: { 0: makeEvent() } }),
  },
  { kind: 'wrong types', name: 'sdk is a string', request: envelopeWith({ sdk: 'telemetry-kit' }) },
  {
    kind: 'wrong types',
    name: 'dropped count is negative',
    request: envelopeWith({ dropped: { overflow: -1 } }),
  },
  {
    kind: 'wrong types',
    name: 'dropped count past a 32-bit integer (the column)',
    request: envelopeWith({ dropped: { overflow: 9_999_999_999 } }),
  },
  {
    kind: 'wrong types',
    name: 'policy_version past a 32-bit integer (the column)',
    request: envelopeWith({
      consent: { policy_version: 9_999_999_999, granted_at: new Date().toISOString() },
    }),
  },
  {
    kind: 'wrong types',
    name: 'policy_version is fractional',
    request: envelopeWith({
      consent: { policy_version: 1.5, granted_at: new Date().toISOString() },
    }),
  },
  { kind: 'wrong types', name: 'metadata is an array', request: eventWith({ metadata: [1, 2] }) },
  { kind: 'wrong types', name: 'metadata is null', request: eventWith({ metadata: null }) },
  { kind: 'wrong types', name: 'context is a string', request: eventWith({ context: 'chrome' }) },
  {
    kind: 'wrong types',
    name: 'sampling_rate as a string',
    request: eventWith({ sampling_rate: '0.5' }),
  },
  { kind: 'wrong types', name: 'sampling_rate above 1', request: eventWith({ sampling_rate: 2 }) },
  { kind: 'wrong types', name: 'sampling_rate of 0', request: eventWith({ sampling_rate: 0 }) },
  {
    kind: 'wrong types',
    name: 'Infinity (1e999) in metadata',
    request: text(
      JSON.stringify(makeBatch([makeEvent()])).replace('"/home"}', '"/home","n":1e999}'),
    ),
  },
  // Built-in event types with wrongly typed documented fields
  {
    kind: 'built-in metadata',
    name: 'feature.toggle enabled is a string',
    request: eventWith({
      event_type: 'feature.toggle',
      metadata: { feature: 'x', enabled: 'yes' },
    }),
  },
  {
    kind: 'built-in metadata',
    name: 'web_vital with an unknown metric',
    request: eventWith({ event_type: 'web_vital', metadata: { name: 'FID', value: 10 } }),
  },
  {
    kind: 'built-in metadata',
    name: 'component.mount count is negative',
    request: eventWith({
      event_type: 'component.mount',
      metadata: { component: 'Button', count: -1 },
    }),
  },
  {
    kind: 'built-in metadata',
    name: 'component.mount props hold an object',
    request: eventWith({
      event_type: 'component.mount',
      metadata: { component: 'Button', props: { style: { color: 'red' } } },
    }),
  },
  {
    kind: 'built-in metadata',
    name: 'session.end duration as a string',
    request: eventWith({ event_type: 'session.end', metadata: { duration_ms: '60' } }),
  },
  {
    kind: 'built-in metadata',
    name: 'error without error_hash',
    request: eventWith({ event_type: 'error', metadata: { error_class: 'TypeError' } }),
  },
  // Missing fields
  { kind: 'missing fields', name: 'no events', request: withoutKey('events') },
  { kind: 'missing fields', name: 'no service_name', request: withoutKey('service_name') },
  { kind: 'missing fields', name: 'no consent receipt', request: withoutKey('consent') },
  { kind: 'missing fields', name: 'event without id', request: eventWithout('id') },
  {
    kind: 'missing fields',
    name: 'event without anonymous_id',
    request: eventWithout('anonymous_id'),
  },
  { kind: 'missing fields', name: 'event without metadata', request: eventWithout('metadata') },
  // Unknown fields
  { kind: 'unknown fields', name: 'extra envelope field', request: envelopeWith({ admin: true }) },
  {
    kind: 'unknown fields',
    name: 'extra event field',
    request: eventWith({ ip_address: '203.0.113.9' }),
  },
  {
    kind: 'unknown fields',
    name: 'extra context field (full user agent)',
    request: eventWith({ context: { user_agent: 'Mozilla/5.0 ...' } }),
  },
  // Huge arrays and counts
  {
    kind: 'huge arrays',
    name: '501 events',
    request: json(makeBatch(Array.from({ length: 501 }, () => makeEvent()))),
    status: 413,
  },
  {
    kind: 'huge arrays',
    name: '10,000 items in a metadata array',
    request: eventWith({
      metadata: { path: '/home', list: Array.from({ length: 10_000 }, () => 1) },
    }),
  },
  {
    kind: 'huge arrays',
    name: '250,000 values in one body',
    request: eventWith({ metadata: { list: Array.from({ length: 250_000 }, () => 0) } }),
    status: 413,
  },
  {
    kind: 'huge arrays',
    name: '101 metadata keys',
    request: eventWith({
      metadata: {
        path: '/home',
        ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])),
      },
    }),
  },
  // Deep nesting
  {
    kind: 'deep nesting',
    name: '20 levels of metadata',
    request: eventWith({ metadata: nested(20) }),
  },
  {
    kind: 'deep nesting',
    name: '100,000 nested arrays',
    request: text(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
  },
  {
    kind: 'deep nesting',
    name: '5,000 nested objects in the envelope',
    request: text(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`),
  },
  // Huge strings
  {
    kind: 'huge strings',
    name: '10,000-character metadata string',
    request: eventWith({ metadata: { path: 'x'.repeat(10_000) } }),
  },
  {
    kind: 'huge strings',
    name: '1,000-character service_name',
    request: envelopeWith({ service_name: 's'.repeat(1_000) }),
  },
  {
    kind: 'huge strings',
    name: '2 MB string',
    request: eventWith({ metadata: { path: 'x'.repeat(2_000_000) } }),
    status: 413,
  },
  // Content types
  {
    kind: 'wrong content type',
    name: 'form-urlencoded',
    request: json(makeBatch([makeEvent()]), {
      'content-type': 'application/x-www-form-urlencoded',
    }),
    status: 415,
  },
  {
    kind: 'wrong content type',
    name: 'multipart',
    request: json(makeBatch([makeEvent()]), { 'content-type': 'multipart/form-data; boundary=x' }),
    status: 415,
  },
  {
    kind: 'wrong content type',
    name: 'text/html',
    request: json(makeBatch([makeEvent()]), { 'content-type': 'text/html' }),
    status: 415,
  },
  {
    kind: 'wrong content type',
    name: 'none',
    request: () =>
      new Request('http://collector.test/v1/events', {
        method: 'POST',
        body: new Blob([JSON.stringify(makeBatch([makeEvent()]))]),
      }),
    status: 415,
  },
  // Oversize and broken bodies
  {
    kind: 'oversize body',
    name: '3 MB of whitespace',
    request: text(' '.repeat(3_000_000)),
    status: 413,
  },
  {
    kind: 'oversize body',
    name: 'Content-Length above the limit',
    request: () =>
      new Request('http://collector.test/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'content-length': '99999999' },
        body: '{}',
      }),
    status: 413,
  },
  {
    kind: 'invalid encoding',
    name: 'bytes that are not UTF-8',
    request: () => ingestRequest(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])),
  },
  // Invalid ids
  { kind: 'invalid ids', name: 'id too short', request: eventWith({ id: 'abc' }) },
  {
    kind: 'invalid ids',
    name: 'id with a path',
    request: eventWith({ id: '../../../etc/passwd' }),
  },
  { kind: 'invalid ids', name: 'id with unicode', request: eventWith({ id: 'ééééééééééééééé' }) },
  { kind: 'invalid ids', name: 'id as a number', request: eventWith({ id: 123456789012 }) },
  {
    kind: 'invalid ids',
    name: 'user_id is a raw email, not a hash',
    request: eventWith({ user_id: 'jane@example.com' }),
  },
  {
    kind: 'invalid ids',
    name: 'event_type with spaces',
    request: eventWith({ event_type: 'page view' }),
  },
  {
    kind: 'invalid ids',
    name: 'event_type starting with a dot, which the client refuses too',
    request: eventWith({ event_type: '.page.view' }),
  },
  {
    kind: 'invalid ids',
    name: 'DELETE with an invalid anonymous id',
    request: () => new Request('http://collector.test/v1/subjects/bad%20id', { method: 'DELETE' }),
  },
  // Bad timestamps
  { kind: 'bad timestamps', name: 'words', request: eventWith({ timestamp: 'yesterday' }) },
  {
    kind: 'bad timestamps',
    name: 'impossible date',
    request: eventWith({ timestamp: '2026-13-45T99:99:99Z' }),
  },
  {
    kind: 'bad timestamps',
    name: 'epoch number',
    request: eventWith({ timestamp: 1_700_000_000_000 }),
  },
  {
    kind: 'bad timestamps',
    name: 'year 3000',
    request: eventWith({ timestamp: '3000-01-01T00:00:00.000Z' }),
  },
  {
    kind: 'bad timestamps',
    name: '1970, older than retention',
    request: eventWith({ timestamp: '1970-01-01T00:00:00.000Z' }),
  },
  { kind: 'bad timestamps', name: 'empty string', request: eventWith({ timestamp: '' }) },
  {
    kind: 'bad timestamps',
    name: 'sent_at is not a time',
    request: envelopeWith({ sent_at: 'now' }),
  },
  // Prototype pollution
  {
    kind: 'prototype pollution',
    name: '__proto__ in the envelope',
    request: text(
      JSON.stringify(makeBatch([makeEvent()])).replace('{', '{"__proto__":{"polluted":true},'),
    ),
  },
  {
    kind: 'prototype pollution',
    name: '__proto__ in metadata',
    request: text(
      JSON.stringify(makeBatch([makeEvent()])).replace(
        '"metadata":{',
        '"metadata":{"__proto__":{"polluted":true},',
      ),
    ),
  },
  {
    kind: 'prototype pollution',
    name: 'constructor.prototype in metadata',
    request: eventWith({ metadata: { constructor: { prototype: { polluted: true } } } }),
  },
  // SQL-ish strings where only identifiers belong (free text is stored verbatim: see the store test)
  {
    kind: 'SQL-ish strings',
    name: 'event_type ending the statement',
    request: eventWith({ event_type: "page.view'); DROP TABLE telemetry_events;--" }),
  },
  {
    kind: 'SQL-ish strings',
    name: 'anonymous_id OR 1=1',
    request: eventWith({ anonymous_id: "' OR 1=1 --" }),
  },
  {
    kind: 'SQL-ish strings',
    name: 'DELETE of a subject with a quote',
    request: () =>
      new Request("http://collector.test/v1/subjects/x'%20OR%20'1'='1", { method: 'DELETE' }),
  },
  // Methods and origins
  {
    kind: 'wrong method',
    name: 'GET /v1/events',
    request: () => new Request('http://collector.test/v1/events'),
    status: 405,
  },
  {
    kind: 'wrong method',
    name: 'PUT /v1/events',
    request: () => new Request('http://collector.test/v1/events', { method: 'PUT', body: '{}' }),
    status: 405,
  },
  {
    kind: 'foreign origin',
    name: 'POST from an origin not configured',
    request: json(makeBatch([makeEvent()]), { origin: 'https://evil.example' }),
    status: 403,
  },
];

describe('bad input never gets a 5xx, never crashes, never stores a row', () => {
  it.each(CASES)('$kind: $name', async ({ request, status }) => {
    const response = await shared.collector.handle(request(), { clientAddress: '203.0.113.5' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    if (status !== undefined) expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.json();
    expect(typeof body.error).toBe('string');
    expect(typeof body.reason).toBe('string');
    expect(await countEvents(shared.store)).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (process.env.PRINT_BAD_INPUT) console.log(`BAD_INPUT\t${response.status}\t${body.error}`);
  });

  it('tried at least 15 classes of bad input', () => {
    const kinds = new Set(CASES.map((c) => c.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(15);
  });

  it('still accepts a good batch after all of that', async () => {
    const response = await shared.collector.handle(
      ingestRequest(JSON.stringify(makeBatch([makeEvent()]))),
    );
    expect(response.status).toBe(202);
    expect(await countEvents(shared.store)).toBe(1);
  });
});
