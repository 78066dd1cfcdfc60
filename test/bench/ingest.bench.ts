import { type INamespace, Root } from 'protobufjs/light.js';
import type { TelemetryEvent } from 'telemetry-kit';
import { toOtlpLogs } from 'telemetry-kit/transports';
import {
  type Collector,
  createCollector,
  createPgliteStore,
  createPostgresStore,
  type EventStore,
  listen,
  type RunningServer,
} from 'telemetry-kit-collector';
import { afterAll, bench, describe } from 'vitest';
import { OTLP_LOGS_DESCRIPTOR } from '../../collector/otlp-logs-descriptor.js';
import { makeBatch, makeEvent } from '../collector/fixtures.js';

/**
 * Ingest throughput over loopback HTTP, in batches of 50 (the browser's default batch size),
 * eight requests in flight. Events per second = hz × 400. The duplicate run resends one batch,
 * as beacon retries do. PostgreSQL runs when TEST_DATABASE_URL is set.
 *
 * Side by side, each on a store of its own so none inserts into a table the others grew: the
 * same 50 events as a native batch (`POST /v1/events`) and as OTLP logs (`POST /v1/logs`, JSON
 * as createOtlpTransport sends them, and protobuf); and native ingest with `/metrics` scraped
 * every second against none.
 *
 *   npx vitest bench --run --project collector test/bench/ingest.bench.ts
 */
const BATCH = 50;
const IN_FLIGHT = 8;

interface Target {
  store: EventStore;
  collector: Collector;
  server: RunningServer;
}

const targets: Target[] = [];

const INGEST_TOKEN = 'bench-ingest-token';

async function start(store: EventStore): Promise<Target> {
  const collector = createCollector({ store, rateLimit: false, ingestToken: INGEST_TOKEN });
  const server = await listen(collector, { port: 0 });
  const target = { store, collector, server };
  targets.push(target);
  return target;
}

afterAll(async () => {
  for (const { server, collector, store } of targets) {
    await server.close();
    await collector.close();
    await store.close();
  }
});

function send(target: Target, body: string): Promise<void> {
  return fetch(`${target.server.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body,
  }).then(async (response) => {
    if (response.status !== 202) throw new Error(`ingest answered ${response.status}`);
    await response.arrayBuffer();
  });
}

function sendLogs(target: Target, body: string | Uint8Array<ArrayBuffer>): Promise<void> {
  return fetch(`${target.server.url}/v1/logs`, {
    method: 'POST',
    headers: {
      'content-type': typeof body === 'string' ? 'application/json' : 'application/x-protobuf',
      authorization: `Bearer ${INGEST_TOKEN}`,
    },
    body,
  }).then(async (response) => {
    if (response.status !== 200) throw new Error(`/v1/logs answered ${response.status}`);
    await response.arrayBuffer();
  });
}

const freshBatch = () =>
  makeBatch(
    Array.from({ length: BATCH }, (_, i) =>
      makeEvent({
        event_type: 'component.mount',
        metadata: {
          component: `Button${i % 7}`,
          library: 'ui-kit',
          version: '2.0.0',
          props: { variant: 'primary' },
          count: 1,
        },
      }),
    ),
  );
const freshBody = () => JSON.stringify(freshBatch());
const repeatedBody = freshBody();

// Side-by-side bodies are built once and only their ids renewed per request, so the load
// generator (in this process, on the same cores) costs the same few microseconds for every
// variant and the figures are the server's. A 10-character mark in each event id is replaced
// by a per-request counter: in the JSON text, and at its byte offsets in the protobuf.
const ID_MARK = 'MMMMMMMMMM';
let requestCount = 0;
const nextTag = () => (requestCount++).toString(36).padStart(ID_MARK.length, '0');

const templateBatch = makeBatch(
  Array.from({ length: BATCH }, (_, i) =>
    makeEvent({
      id: `ev${String(i).padStart(3, '0')}_${ID_MARK}`,
      event_type: 'component.mount',
      metadata: {
        component: `Button${i % 7}`,
        library: 'ui-kit',
        version: '2.0.0',
        props: { variant: 'primary' },
        count: 1,
      },
    }),
  ),
);
const nativeTemplate = JSON.stringify(templateBatch);
/** The same events as OTLP/JSON, exactly as createOtlpTransport writes them. */
const otlpJsonTemplate = JSON.stringify(toOtlpLogs(templateBatch));
const logsRequestType = Root.fromJSON(OTLP_LOGS_DESCRIPTOR as INamespace).lookupType(
  'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
);
/** ...and as protobuf, as the SDKs' proto exporters send them. */
const otlpProtobufTemplate = new Uint8Array(
  logsRequestType.encode(logsRequestType.fromObject(toOtlpLogs(templateBatch))).finish(),
);
const markOffsets: number[] = [];
{
  const mark = new TextEncoder().encode(ID_MARK);
  for (let at = 0; at <= otlpProtobufTemplate.length - mark.length; at += 1) {
    if (mark.every((byte, i) => otlpProtobufTemplate[at + i] === byte)) markOffsets.push(at);
  }
  if (markOffsets.length !== BATCH) throw new Error(`found ${markOffsets.length} id marks`);
}

const sameEventsNative = () => nativeTemplate.replaceAll(ID_MARK, nextTag());

/** Metadata of every event type a rollup keeps, cycled through by a mixed batch. */
const MIXED: Pick<TelemetryEvent, 'event_type' | 'metadata'>[] = [
  { event_type: 'page.view', metadata: { path: '/checkout' } },
  {
    event_type: 'component.mount',
    metadata: { component: 'Button', library: 'ui-kit', version: '2.0.0', props: {}, count: 1 },
  },
  { event_type: 'feature.use', metadata: { feature: 'export' } },
  { event_type: 'feature.toggle', metadata: { feature: 'dark-mode', enabled: true } },
  { event_type: 'error', metadata: { error_class: 'TypeError', error_hash: 'h1', message: 'x' } },
  { event_type: 'web_vital', metadata: { name: 'LCP', value: 1234, path: '/checkout' } },
  { event_type: 'session.end', metadata: { duration_ms: 60_000 } },
  { event_type: 'flow.start', metadata: { flow: 'checkout' } },
  { event_type: 'flow.end', metadata: { flow: 'checkout', outcome: 'success', duration_ms: 900 } },
];
/** 50 events of every type a rollup keeps, so a batch upserts every rollup table. */
const mixedTemplate = JSON.stringify(
  makeBatch(
    Array.from({ length: BATCH }, (_, i) =>
      makeEvent({ id: `mx${String(i).padStart(3, '0')}_${ID_MARK}`, ...MIXED[i % MIXED.length] }),
    ),
  ),
);
const mixedEventsNative = () => mixedTemplate.replaceAll(ID_MARK, nextTag());
const sameEventsOtlpJson = () => otlpJsonTemplate.replaceAll(ID_MARK, nextTag());
const sameEventsOtlpProtobuf = () => {
  const body = otlpProtobufTemplate.slice();
  const tag = new TextEncoder().encode(nextTag());
  for (const offset of markOffsets) body.set(tag, offset);
  return body;
};

const pglite = await start(await createPgliteStore());
const postgresUrl = process.env.TEST_DATABASE_URL;
const postgres = postgresUrl
  ? await start(await createPostgresStore({ connectionString: postgresUrl }))
  : undefined;

const options = { time: 4000, warmupTime: 500 };

const inParallel = (send: () => Promise<void>) =>
  Promise.all(Array.from({ length: IN_FLIGHT }, send)).then(() => {});

// Variants alternate over four short rounds (A B C A B C ...) on one collector and store: on a
// shared machine load drifts over a run, and the table grows as it is filled, so a variant
// measured only first or only last, or on a store of its own, would carry that drift.
const ROUNDS = [1, 2, 3, 4];
const roundOptions = { time: 2000, warmupTime: 300 };

const sideBySide = await start(await createPgliteStore());

describe(`Native batch vs OTLP, the same ${BATCH} events per request (per-event time = 1 / (hz × ${BATCH * IN_FLIGHT}))`, () => {
  for (const round of ROUNDS) {
    bench(
      `POST /v1/events (native batch), round ${round}`,
      () => inParallel(() => send(sideBySide, sameEventsNative())),
      roundOptions,
    );
    bench(
      `POST /v1/logs (OTLP/JSON, as createOtlpTransport sends), round ${round}`,
      () => inParallel(() => sendLogs(sideBySide, sameEventsOtlpJson())),
      roundOptions,
    );
    bench(
      `POST /v1/logs (OTLP/protobuf), round ${round}`,
      () => inParallel(() => sendLogs(sideBySide, sameEventsOtlpProtobuf())),
      roundOptions,
    );
  }
});

const metricsTarget = await start(await createPgliteStore());
let scraper: ReturnType<typeof setInterval> | undefined;
let scrapes = 0;
// Without an admin token /metrics answers loopback, as Prometheus on the same host would see it.
const scrape = () =>
  fetch(`${metricsTarget.server.url}/metrics`)
    .then(async (response) => {
      if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
      await response.text();
      scrapes += 1;
    })
    .catch((error) => console.error(error));

describe(`Native ingest with /metrics scraped every second vs not (per-event time = 1 / (hz × ${BATCH * IN_FLIGHT}))`, () => {
  for (const round of ROUNDS) {
    bench(
      `new events, /metrics not scraped, round ${round}`,
      () => inParallel(() => send(metricsTarget, sameEventsNative())),
      roundOptions,
    );
    bench(
      `new events, /metrics scraped every second, round ${round}`,
      () => inParallel(() => send(metricsTarget, sameEventsNative())),
      {
        ...roundOptions,
        setup: () => {
          scraper ??= setInterval(scrape, 1000);
        },
        teardown: (_task, mode) => {
          if (mode !== 'run' || !scraper) return;
          clearInterval(scraper);
          scraper = undefined;
          console.log(`/metrics scraped ${scrapes} times so far`);
        },
      },
    );
  }
});

describe(`PGlite: ${BATCH} events per request, ${IN_FLIGHT} in flight (events/s = hz × ${BATCH * IN_FLIGHT})`, () => {
  bench(
    'new events',
    () =>
      Promise.all(Array.from({ length: IN_FLIGHT }, () => send(pglite, freshBody()))).then(
        () => {},
      ),
    options,
  );
  bench(
    'duplicates (beacon retries)',
    () =>
      Promise.all(Array.from({ length: IN_FLIGHT }, () => send(pglite, repeatedBody))).then(
        () => {},
      ),
    options,
  );
});

describe.skipIf(!postgres)(
  `PostgreSQL: ${BATCH} events per request, ${IN_FLIGHT} in flight (events/s = hz × ${BATCH * IN_FLIGHT})`,
  () => {
    const target = postgres as Target;
    bench(
      'new events',
      () =>
        Promise.all(Array.from({ length: IN_FLIGHT }, () => send(target, freshBody()))).then(
          () => {},
        ),
      options,
    );
    bench(
      'duplicates (beacon retries)',
      () =>
        Promise.all(Array.from({ length: IN_FLIGHT }, () => send(target, repeatedBody))).then(
          () => {},
        ),
      options,
    );
  },
);

// The insert without the rollups (collector/event-store.ts's statement, its rollup upsert
// left out): ids claimed in telemetry_event_ids, then the raw events. A store that inserts
// with it is the baseline the rollups' cost is measured by.
const RAW_INSERT_ONLY = `
  WITH incoming AS (
    SELECT DISTINCT ON (e.id) e.*
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (
      id text, event_type text, timestamp timestamptz, anonymous_id text, session_id text,
      user_id text, sampling_rate double precision, metadata jsonb, context jsonb
    )) WITH ORDINALITY AS e(
      id, event_type, timestamp, anonymous_id, session_id, user_id, sampling_rate, metadata,
      context, position
    )
    ORDER BY e.id, e.position
  ), claimed AS (
    INSERT INTO telemetry_event_ids (id, occurred_at)
    SELECT id, timestamp FROM incoming ORDER BY id
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  )
  INSERT INTO telemetry_events (
    id, event_type, occurred_at, anonymous_id, session_id, user_id, sampling_rate,
    service_name, service_version, consent_policy_version, metadata, context, clock_skew_ms
  )
  SELECT e.id, e.event_type, e.timestamp, e.anonymous_id, e.session_id, e.user_id,
         e.sampling_rate, $2, $3, $4, e.metadata, e.context, $5::bigint
  FROM incoming AS e JOIN claimed USING (id)
  RETURNING id`;

function withoutRollups(store: EventStore): EventStore {
  return {
    ...store,
    async insertBatch(origin, events) {
      // Prepared under a name, as ingest's own statement is: each side is parsed once.
      const rows = await store.database.query(
        RAW_INSERT_ONLY,
        [
          JSON.stringify(events),
          origin.service_name,
          origin.service_version,
          origin.consent_policy_version,
          origin.clock_skew_ms ?? null,
        ],
        { prepareAs: 'bench_raw_insert_only' },
      );
      return { inserted: rows.length, duplicates: events.length - rows.length };
    },
  };
}

/** Fresh PostgreSQL databases for the side-by-side stores, dropped at the end. */
async function freshPostgres(url: string, name: string): Promise<EventStore> {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return createPostgresStore({ connectionString: databaseUrl.href });
}

const rollupEngines = [
  {
    name: 'PGlite',
    open: async () => ({
      raw: await start(withoutRollups(await createPgliteStore())),
      rolled: await start(await createPgliteStore()),
    }),
  },
  ...(postgresUrl
    ? [
        {
          name: 'PostgreSQL',
          open: async () => ({
            raw: await start(withoutRollups(await freshPostgres(postgresUrl, 'bench_raw_only'))),
            rolled: await start(await freshPostgres(postgresUrl, 'bench_with_rollups')),
          }),
        },
      ]
    : []),
];

const rollupBatches = [
  { name: `the same ${BATCH} component mounts`, body: sameEventsNative },
  { name: `${BATCH} events of every type (every rollup table)`, body: mixedEventsNative },
];

for (const engine of rollupEngines) {
  const { raw, rolled } = await engine.open();
  for (const batch of rollupBatches) {
    describe(`${engine.name}: raw insert alone vs with rollups, ${batch.name} per request (per-event time = 1 / (hz × ${BATCH * IN_FLIGHT}))`, () => {
      for (const round of ROUNDS) {
        bench(
          `raw insert alone, round ${round}`,
          () => inParallel(() => send(raw, batch.body())),
          roundOptions,
        );
        bench(
          `raw insert with rollups (same statement), round ${round}`,
          () => inParallel(() => send(rolled, batch.body())),
          roundOptions,
        );
      }
    });
  }
}
