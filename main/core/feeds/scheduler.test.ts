import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../bus';
import { Store } from '../store';
import { FeedConfig } from '../config';
import { backoffDelayMs, HttpPollFeed, MAX_BACKOFF_MS } from './scheduler';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../../test/helpers';

let server: FeedServer | null = null;
let store: Store | null = null;
afterEach(async () => {
  await server?.close();
  store?.close();
  server = null;
  store = null;
});

function poller(url: string) {
  store = Store.open(tempDir());
  const bus = new EventBus();
  const pushed: string[] = [];
  bus.subscribe((event, payload) => {
    if (event === 'incident.changed') pushed.push((payload as { incident: { id: string } }).incident.id);
    if (event === 'incidents.changed') pushed.push(...(payload as { incidents: { id: string }[] }).incidents.map((i) => i.id));
  });
  const feed = new HttpPollFeed({ store, bus }, FeedConfig.parse({ id: 'city', type: 'geojson', url, intervalSeconds: 1, timeoutSeconds: 2 }));
  return { feed, store, pushed };
}

describe('polling an HTTP GeoJSON feed', () => {
  it('stores new incidents, pushes them, and sends the ETag back so an unchanged feed costs a 304', async () => {
    server = await startFeedServer(featureCollection([incidentFeature('A'), incidentFeature('B')]));
    const { feed, store, pushed } = poller(server.url);
    await feed.pollOnce();
    expect(store.incidents.total()).toBe(2);
    expect(pushed.sort()).toEqual(['city:A', 'city:B']);
    await feed.pollOnce();
    expect(server.requests[1]!.headers['if-none-match']).toBe('"v1"');
    expect(pushed).toHaveLength(2);
    server.setBody(featureCollection([incidentFeature('A', { status: 'closed', closedAt: '2026-11-28T11:00:00Z' }), incidentFeature('B')]));
    await feed.pollOnce();
    expect(pushed).toEqual(expect.arrayContaining(['city:A']));
    expect(pushed).toHaveLength(3);
    expect(store.incidents.get('city:A')!.status).toBe('closed');
    expect(feed.status()).toMatchObject({ state: 'ok', consecutiveErrors: 0, stored: 4 });
  });

  it('marks a feed that is down as failing, keeps the cache, and recovers when it returns', async () => {
    server = await startFeedServer(featureCollection([incidentFeature('A')]));
    const { feed, store } = poller(server.url);
    await feed.pollOnce();
    server.setDown(true);
    await feed.pollOnce();
    await feed.pollOnce();
    expect(feed.status()).toMatchObject({ state: 'failing', consecutiveErrors: 2, lastError: expect.stringMatching(/HTTP 503/) });
    expect(store.incidents.total()).toBe(1);
    server.setDown(false);
    server.setBody(featureCollection([incidentFeature('A'), incidentFeature('N')]));
    await feed.pollOnce();
    expect(feed.status()).toMatchObject({ state: 'ok', consecutiveErrors: 0, lastError: null });
    expect(store.incidents.total()).toBe(2);
  });

  it('reports a feed URL where nothing listens, naming the cause', async () => {
    server = await startFeedServer();
    const url = server.url;
    await server.close();
    server = null;
    const { feed } = poller(url);
    await feed.pollOnce();
    expect(feed.status()).toMatchObject({ state: 'failing', lastError: expect.stringMatching(/ECONNREFUSED|fetch failed/) });
  });

  it('backs off exponentially with jitter, capped', () => {
    const lowJitter = () => 0;
    const highJitter = () => 0.999999;
    expect(backoffDelayMs(10_000, 0, highJitter)).toBeCloseTo(10_000, -1);
    expect(backoffDelayMs(10_000, 3, highJitter)).toBeCloseTo(80_000, -1);
    expect(backoffDelayMs(10_000, 3, lowJitter)).toBe(40_000);
    expect(backoffDelayMs(10_000, 30, highJitter)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
  });
});
