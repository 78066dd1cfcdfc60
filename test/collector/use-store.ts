import type { EventStore } from 'telemetry-kit-collector';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { emptyStore } from './fixtures.js';
import type { StoreEngine } from './store-engines.js';

/**
 * The store of the describe block that calls it, on `engine`: opened before its tests, emptied
 * before each one, dropped after them. The returned object forwards to the store once it is
 * open (the store's methods are closures, so nothing needs binding).
 */
export function useStore(engine: StoreEngine): EventStore {
  let store: EventStore | undefined;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ store, drop } = await engine.open());
  }, 60_000);
  afterAll(() => drop());
  beforeEach(() => emptyStore(opened()));
  const opened = (): EventStore => {
    if (!store) throw new Error(`the ${engine.name} store is not open yet`);
    return store;
  };
  return new Proxy({} as EventStore, { get: (_, key) => opened()[key as keyof EventStore] });
}
