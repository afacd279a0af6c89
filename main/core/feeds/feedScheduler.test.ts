import { afterEach, describe, expect, it } from 'vitest';
import type { FeedStatus } from '../../../common/domain/feed';
import { EventBus } from '../bus';
import { FeedConfig } from '../config';
import { Store } from '../store';
import { FeedScheduler } from './scheduler';
import { incidentFeature, tempDir } from '../../../test/helpers';
import { startWsFeedServer, waitFor, type WsFeedServer } from '../../../test/feedServers';

let server: WsFeedServer | null = null;
let scheduler: FeedScheduler | null = null;
let store: Store | null = null;
afterEach(async () => {
  await scheduler?.stop();
  await server?.close();
  store?.close();
  server = scheduler = store = null;
});

describe('the feed scheduler', () => {
  it('pushes a stale status when a connected stream goes quiet past its window, and ok when data returns', async () => {
    server = await startWsFeedServer();
    store = Store.open(tempDir());
    const bus = new EventBus();
    const pushed: FeedStatus[] = [];
    bus.subscribe((event, payload) => event === 'feed.status' && pushed.push((payload as { feed: FeedStatus }).feed));
    scheduler = new FeedScheduler({ store, bus }, [FeedConfig.parse({ id: 'live', type: 'geojson', url: server.url, staleAfterSeconds: 1 })], { defaultRetentionDays: 365, statusEveryMs: 100 });
    scheduler.start();
    await waitFor(() => server!.clients.size === 1, 5000, 'connect');
    server.send(JSON.stringify(incidentFeature('A')));
    await waitFor(() => pushed.some((s) => s.state === 'ok' && s.stored === 1), 5000, 'an ok push');
    await waitFor(() => pushed.at(-1)?.stale === true, 5000, 'a stale push');
    expect(pushed.at(-1)).toMatchObject({ state: 'stale', kinds: ['incident'], transport: 'websocket' });
    server.send(JSON.stringify(incidentFeature('B')));
    await waitFor(() => pushed.at(-1)?.stale === false && pushed.at(-1)?.stored === 2, 5000, 'fresh again');
    // Statuses are pushed when they change, not on every tick.
    const count = pushed.length;
    await new Promise((r) => setTimeout(r, 350));
    expect(pushed.length - count).toBeLessThanOrEqual(1);
  });

  it('pauses and resumes a feed, remembering it across a restart', async () => {
    server = await startWsFeedServer();
    const dir = tempDir();
    store = Store.open(dir);
    const config = FeedConfig.parse({ id: 'live', type: 'geojson', url: server.url });
    scheduler = new FeedScheduler({ store, bus: new EventBus() }, [config], { defaultRetentionDays: 365 });
    scheduler.start();
    await waitFor(() => server!.clients.size === 1, 5000, 'connect');
    expect(await scheduler.setPaused('live', true)).toMatchObject({ state: 'paused', paused: true, stale: false });
    await waitFor(() => server!.clients.size === 0, 5000, 'disconnect');
    await scheduler.stop();
    scheduler = new FeedScheduler({ store, bus: new EventBus() }, [config], { defaultRetentionDays: 365 });
    scheduler.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(server.clients.size).toBe(0);
    expect(scheduler.statuses()[0]).toMatchObject({ state: 'paused' });
    await scheduler.setPaused('live', false);
    await waitFor(() => server!.clients.size === 1, 5000, 'reconnect');
    await expect(scheduler.setPaused('nope', true)).rejects.toThrow(/No feed "nope"/);
  });
});
