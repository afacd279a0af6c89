import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../bus';
import { FeedConfig } from '../config';
import { Store } from '../store';
import { FeedScheduler } from './scheduler';
import { startSimulator, type Simulator } from './simulator';
import { tempDir } from '../../../test/helpers';
import { waitFor } from '../../../test/feedServers';

let sim: Simulator | null = null;
let scheduler: FeedScheduler | null = null;
let store: Store | null = null;
afterEach(async () => {
  await scheduler?.stop();
  await sim?.close();
  store?.close();
  sim = scheduler = store = null;
});

describe('vigie simulate', () => {
  it('serves every standard on loopback, and every simulated feed is read without a quarantined record', async () => {
    sim = await startSimulator({ tickMs: 200 });
    store = Store.open(tempDir());
    const configs = sim.feedConfigs().map((c) => FeedConfig.parse({ ...c, intervalSeconds: 0.5 }));
    expect(new Set(configs.map((c) => c.type))).toEqual(new Set(['geojson', 'open311', 'cap', 'gtfs-rt', 'sensorthings', 'csv', 'cot']));
    expect(new Set(configs.map((c) => c.transport))).toEqual(new Set(['poll', 'sse', 'websocket']));
    scheduler = new FeedScheduler({ store, bus: new EventBus() }, configs, { defaultRetentionDays: 365 });
    scheduler.start();
    // Every feed stored something and said which kinds it brings (a loaded machine may take a few polls).
    const allKinds = () => new Set(scheduler!.statuses().flatMap((s) => s.kinds ?? [])).size === 5;
    await waitFor(() => scheduler!.statuses().every((s) => s.stored > 0) && allKinds(), 15_000, 'every feed to store records');
    const statuses = scheduler.statuses();
    expect(statuses.filter((s) => s.quarantined > 0).map((s) => `${s.id}: ${store!.quarantine.list(1, s.id)[0]?.reason}`)).toEqual([]);
    expect(statuses.filter((s) => s.state === 'failing').map((s) => `${s.id}: ${s.lastError}`)).toEqual([]);
    const kinds = new Set(statuses.flatMap((s) => s.kinds ?? []));
    expect(kinds).toEqual(new Set(['incident', 'alert', 'unit', 'camera', 'sensor']));
    expect(store.cameras.list().length).toBe(8);
    // Open311 asked for what changed since its cursor.
    await waitFor(() => scheduler!.statuses().find((s) => s.id === 'sim-open311')!.stored > 8, 15_000, 'Open311 updates');
  }, 40_000);
});
