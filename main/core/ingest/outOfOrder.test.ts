import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../bus';
import { FeedConfig, type FeedConfigInput } from '../config';
import { HttpPollFeed } from '../feeds/transports/poll';
import { Store } from '../store';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';
import { startRouteServer, type RouteServer } from '../../../test/feedServers';

// Feeds retry, re-send pages and reorder: whatever order the versions of an incident arrive in,
// the cache ends up with the one the source wrote last, and one event per version that won.

let server: RouteServer;
const stores: Store[] = [];
afterEach(async () => {
  await server?.close();
  for (const s of stores.splice(0)) if (s.db.open) s.close();
});

/** A loopback feed whose next answer the test sets; the poller goes through the real pipeline. */
async function feedServing(type: FeedConfigInput['type'], options: Record<string, unknown> = {}, dir = tempDir('vigie-3-order-')) {
  server ??= await startRouteServer();
  let body = '';
  server.route('/feed', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  const store = Store.open(dir);
  stores.push(store);
  const feed = new HttpPollFeed({ store, bus: new EventBus() }, FeedConfig.parse({ id: 'city', type, url: `${server.base}/feed`, intervalSeconds: 1, timeoutSeconds: 2, options }));
  const deliver = async (next: string) => {
    body = next;
    await feed.pollOnce();
  };
  return { store, deliver, dir };
}

const NOW = Math.floor(Date.now() / 1000) * 1000;
const ago = (minutes: number) => NOW - minutes * 60_000;
const iso = (minutesAgo: number) => new Date(ago(minutesAgo)).toISOString();
const eventsOf = (store: Store, entity: string) => store.db.prepare('SELECT count(*) FROM events WHERE entity = ?').pluck().get(entity) as number;
const sourceRow = (store: Store, id: string) => store.db.prepare('SELECT source_time, source_time_arrival FROM incidents WHERE id = ?').get(id) as { source_time: number; source_time_arrival: number };

describe('out-of-order incident updates over HTTP polling', () => {
  it('GeoJSON: a late older version loses to the newer one, and a re-delivered version stores nothing', async () => {
    server = await startRouteServer();
    const { store, deliver } = await feedServing('geojson');
    const v1 = incidentFeature('A', { status: 'new', updated: iso(30) });
    const v2 = incidentFeature('A', { status: 'acknowledged', title: 'Rixe, deux blessés', updated: iso(20) });
    const v3 = incidentFeature('A', { status: 'closed', closedAt: iso(5), updated: iso(5) });

    await deliver(featureCollection([v2]));
    await deliver(featureCollection([v1])); // sent first, arrives second
    expect(store.incidents.get('city:A')).toMatchObject({ status: 'acknowledged', title: 'Rixe, deux blessés', sourceUpdatedAt: ago(20) });
    expect(eventsOf(store, 'city:A')).toBe(1);

    await deliver(featureCollection([v2]));
    await deliver(featureCollection([v2, v1]));
    expect(eventsOf(store, 'city:A')).toBe(1);

    await deliver(featureCollection([v3]));
    await deliver(featureCollection([v1, v2]));
    expect(store.incidents.get('city:A')).toMatchObject({ status: 'closed' });
    expect(eventsOf(store, 'city:A')).toBe(2);
    expect(store.incidents.total()).toBe(1);
  });

  it('GeoJSON: the same news sent again later moves the clock, so a version between the two still loses', async () => {
    server = await startRouteServer();
    const { store, deliver } = await feedServing('geojson');
    await deliver(featureCollection([incidentFeature('B', { status: 'acknowledged', updated: iso(30) })]));
    // The source re-sends unchanged content with a newer timestamp: no event, but the time is kept…
    await deliver(featureCollection([incidentFeature('B', { status: 'acknowledged', updated: iso(10) })]));
    expect(eventsOf(store, 'city:B')).toBe(1);
    // …so a version written between the two, arriving now, is older than what the cache knows.
    await deliver(featureCollection([incidentFeature('B', { status: 'new', updated: iso(20) })]));
    expect(store.incidents.get('city:B')?.status).toBe('acknowledged');
    expect(eventsOf(store, 'city:B')).toBe(1);
  });

  it('Open311: updated_datetime orders the versions of a request, across a restart of the cache', async () => {
    server = await startRouteServer();
    const request = (status: string, updated: string) => ({
      service_request_id: 'R-1', status, service_code: 'noise', service_name: 'Tapage', lat: 43.3, long: 5.37,
      requested_datetime: iso(60), updated_datetime: updated,
    });
    const first = await feedServing('open311', { defaultCategory: 'noise' });
    await first.deliver(JSON.stringify([request('closed', iso(5))]));
    first.store.close();

    const again = await feedServing('open311', { defaultCategory: 'noise' }, first.dir);
    await again.deliver(JSON.stringify([request('open', iso(40))]));
    expect(again.store.incidents.get('city:R-1')?.status).toBe('closed');
    expect(eventsOf(again.store, 'city:R-1')).toBe(1);
  });

  it('CSV: a mapped "updated" column orders the rows of the same id, whichever file comes first', async () => {
    server = await startRouteServer();
    const { store, deliver } = await feedServing('csv', {
      kind: 'incident',
      columns: { externalId: 'id', category: 'nature', title: 'libelle', lon: 'x', lat: 'y', occurredAt: 'quand', status: 'etat', sourceUpdatedAt: 'maj' },
    });
    const row = (etat: string, maj: string) => `id,nature,libelle,x,y,quand,etat,maj\nC-7,noise,Tapage,5.37,43.3,${iso(90)},${etat},${maj}\n`;
    await deliver(row('on_scene', iso(10)));
    await deliver(row('new', iso(50)));
    expect(store.incidents.get('city:C-7')?.status).toBe('on_scene');
    expect(eventsOf(store, 'city:C-7')).toBe(1);
  });

  it('without a source time, arrival order decides, and the stored time says it is the arrival time', async () => {
    server = await startRouteServer();
    const { store, deliver } = await feedServing('geojson');
    await deliver(featureCollection([incidentFeature('D', { status: 'new' })]));
    await deliver(featureCollection([incidentFeature('D', { status: 'acknowledged' })]));
    expect(store.incidents.get('city:D')?.status).toBe('acknowledged');
    expect(store.incidents.get('city:D')?.sourceUpdatedAt).toBeUndefined();
    expect(sourceRow(store, 'city:D').source_time_arrival).toBe(1);

    await deliver(featureCollection([incidentFeature('E', { updated: iso(3) })]));
    expect(sourceRow(store, 'city:E')).toEqual({ source_time: ago(3), source_time_arrival: 0 });
  });

  it('an absurd update time is quarantined with its reason; the rest of the batch is stored', async () => {
    server = await startRouteServer();
    const { store, deliver } = await feedServing('geojson');
    await deliver(featureCollection([incidentFeature('F', { updated: '3026-01-01T00:00:00Z' }), incidentFeature('G', { updated: iso(1) })]));
    expect(store.incidents.get('city:G')).not.toBeNull();
    expect(store.incidents.get('city:F')).toBeNull();
    expect(store.quarantine.list(10).map((q) => q.reason)).toEqual([expect.stringMatching(/updated.*read from updated/)]);
  });
});
