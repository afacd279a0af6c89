import { afterEach, describe, expect, it } from 'vitest';
import type { FeedStatus } from '../../../common/domain/feed';
import { EventBus } from '../bus';
import { FeedConfig } from '../config';
import { Store } from '../store';
import { FeedScheduler } from './scheduler';
import { incidentFeature, tempDir } from '../../../test/helpers';
import { startWsFeedServer, waitFor, type WsFeedServer } from '../../../test/feedServers';
import { TestClock } from '../../../test/clock';
import { WebSocket } from 'ws';

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
    // The feeds' time is a test clock: a second of silence is one advance(), not a second of waiting.
    const clock = new TestClock();
    scheduler = new FeedScheduler({ store, bus, clock }, [FeedConfig.parse({ id: 'live', type: 'geojson', url: server.url, staleAfterSeconds: 1 })], { defaultRetentionDays: 365, statusEveryMs: 100 });
    scheduler.start();
    await waitFor(() => server!.clients.size === 1, 5000, 'connect');
    const stored = () => store!.feedState.get('live').stored;
    // A message arrives over the real socket, then waits for the stream's 100 ms batch: time moves in 10 ms steps until it is stored.
    const storedAfterBatching = (n: number) => waitFor(() => (clock.advance(10), stored() === n), 5000, `${n} stored`);
    server.send(JSON.stringify(incidentFeature('A')));
    await storedAfterBatching(1);
    clock.advance(100);
    expect(pushed.at(-1)).toMatchObject({ state: 'ok', stored: 1, stale: false });
    clock.advance(1_100);
    expect(pushed.at(-1)).toMatchObject({ state: 'stale', stale: true, kinds: ['incident'], transport: 'websocket' });
    server.send(JSON.stringify(incidentFeature('B')));
    await storedAfterBatching(2);
    clock.advance(100);
    expect(pushed.at(-1)).toMatchObject({ state: 'ok', stale: false, stored: 2 });
    // Statuses are pushed when they change, not on every tick: 350 ms is three ticks, and at most the feed's own throttled push.
    const count = pushed.length;
    clock.advance(350);
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
    // A paused feed must not connect: a client of our own that connects after start() is the
    // barrier (a feed that did connect would have done so first), instead of a fixed wait.
    const before = server.connections;
    const probe = new WebSocket(server.url);
    await new Promise((resolve, reject) => probe.once('open', resolve).once('error', reject));
    await waitFor(() => server!.connections > before, 5000, 'the probe connects');
    probe.close();
    await waitFor(() => server!.clients.size === 0, 5000, 'the probe leaves');
    expect(server.connections).toBe(before + 1);
    expect(scheduler.statuses()[0]).toMatchObject({ state: 'paused' });
    await scheduler.setPaused('live', false);
    await waitFor(() => server!.clients.size === 1, 5000, 'reconnect');
    await expect(scheduler.setPaused('nope', true)).rejects.toThrow(/No feed "nope"/);
  });
});
