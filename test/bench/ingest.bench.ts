import {
  type Collector,
  createCollector,
  createPgliteStore,
  createPostgresStore,
  type EventStore,
  listen,
  type RunningServer,
} from 'telemetry-kit/collector';
import { afterAll, bench, describe } from 'vitest';
import { makeBatch, makeEvent } from '../collector/fixtures.js';

/**
 * Ingest throughput over loopback HTTP, in batches of 50 (the browser's default batch size),
 * eight requests in flight. Events per second = hz × 400. The duplicate run resends one batch,
 * as beacon retries do. PostgreSQL runs when TEST_DATABASE_URL is set.
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

async function start(store: EventStore): Promise<Target> {
  const collector = createCollector({ store, rateLimit: false });
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

const freshBody = () =>
  JSON.stringify(
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
    ),
  );
const repeatedBody = freshBody();

const pglite = await start(await createPgliteStore());
const postgresUrl = process.env.TEST_DATABASE_URL;
const postgres = postgresUrl
  ? await start(await createPostgresStore({ connectionString: postgresUrl }))
  : undefined;

const options = { time: 4000, warmupTime: 500 };

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
