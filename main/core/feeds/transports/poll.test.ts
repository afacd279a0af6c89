import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../bus';
import { FeedConfig, type FeedConfigInput } from '../../config';
import { Store } from '../../store';
import { sensorThingsAdapter } from '../sensorThings';
import { HttpPollFeed } from './poll';
import { featureCollection, incidentFeature, tempDir } from '../../../../test/helpers';
import { startRouteServer, type RouteServer } from '../../../../test/feedServers';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

let server: RouteServer;
const stores: Store[] = [];
afterEach(async () => {
  await server?.close();
  for (const s of stores.splice(0)) s.close();
});

function poller(config: Omit<FeedConfigInput, 'id'> & { id?: string }) {
  const store = Store.open(tempDir());
  stores.push(store);
  const feed = new HttpPollFeed({ store, bus: new EventBus() }, FeedConfig.parse({ id: 'f', intervalSeconds: 1, timeoutSeconds: 1, ...config }));
  return { feed, store };
}

const count = (store: Store, sql: string) => (store.db.prepare(sql).get() as { n: number }).n;

describe('polling Open311', () => {
  it('asks for requests updated after the newest one it has, as updated_after', async () => {
    server = await startRouteServer();
    server.route('/requests.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(fixture('open311_requests.json')));
    const { feed, store } = poller({ type: 'open311', url: `${server.base}/requests.json?jurisdiction_id=marseille`, options: { defaultCategory: 'other' } });
    await feed.pollOnce();
    expect(store.incidents.total()).toBeGreaterThan(0);
    await feed.pollOnce();
    const first = new URL(server.hits[0]!.url, server.base);
    const second = new URL(server.hits[1]!.url, server.base);
    expect(first.searchParams.has('updated_after')).toBe(false);
    expect(second.searchParams.get('updated_after')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(second.searchParams.get('jurisdiction_id')).toBe('marseille');
    expect(second.searchParams.has('since')).toBe(false);
  });
});

describe('polling a CAP Atom index', () => {
  const index = (entries: string[]) => `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id>${entries.join('')}</feed>`;
  const entry = (id: string, href: string, updated = '2024-10-17T06:31:00+02:00') => `<entry><id>${id}</id><updated>${updated}</updated><link type="application/cap+xml" href="${href}"/></entry>`;

  it('fetches each linked alert once, skips other hosts and schemes, and retries links that failed', async () => {
    server = await startRouteServer();
    let flaky = 500;
    server.route('/index.atom', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(
        index([
          entry('a', '/cap/update.xml'),
          entry('b', 'cap/cancel.xml'),
          entry('c', '/cap/flaky.xml'),
          entry('d', '/cap/gone.xml'),
          entry('e', 'http://other.example.invalid/cap.xml'),
          entry('f', 'file:///etc/passwd'),
        ]),
      ),
    );
    server.route('/cap/update.xml', (_req, res) => res.writeHead(200).end(fixture('cap12_update_polygon.xml')));
    server.route('/cap/cancel.xml', (_req, res) => res.writeHead(200).end(fixture('cap_cancel.xml')));
    server.route('/cap/flaky.xml', (_req, res) => (flaky === 200 ? res.writeHead(200).end(fixture('cap11_prefixed.xml')) : res.writeHead(flaky).end('busy')));
    server.route('/cap/gone.xml', (_req, res) => res.writeHead(404).end('gone'));
    const { feed, store } = poller({ type: 'cap', url: `${server.base}/index.atom` });

    await feed.pollOnce();
    const alerts = () => count(store, 'SELECT count(DISTINCT alert_id) AS n FROM alerts');
    expect(alerts()).toBe(2);
    expect(feed.status()).toMatchObject({ state: 'failing', errorCount: 1, lastError: expect.stringMatching(/1 link of .*index.atom could not be fetched \(HTTP 500 .*flaky.xml\); it is retried on the next poll/) });
    expect(store.quarantine.list(10).map((q) => q.reason)).toEqual([expect.stringMatching(/HTTP 404/)]);

    flaky = 200;
    await feed.pollOnce();
    expect(alerts()).toBe(3);
    expect(feed.status().state).toBe('ok');
    await feed.pollOnce();
    const fetched = (p: string) => server.hits.filter((h) => h.url === p).length;
    expect(fetched('/cap/update.xml')).toBe(1);
    expect(fetched('/cap/cancel.xml')).toBe(1);
    expect(fetched('/cap/flaky.xml')).toBe(2);
    expect(fetched('/cap/gone.xml')).toBe(1);
    expect(server.hits.some((h) => h.url.includes('passwd'))).toBe(false);
    expect(store.quarantine.count()).toBe(1);
  });

  it('fetches an entry again when the index says it was updated', async () => {
    server = await startRouteServer();
    let updated = '2024-10-17T06:31:00+02:00';
    server.route('/index.atom', (_req, res) => res.writeHead(200).end(index([entry('a', '/cap/a.xml', updated)])));
    server.route('/cap/a.xml', (_req, res) => res.writeHead(200).end(fixture('cap12_update_polygon.xml')));
    const { feed } = poller({ type: 'cap', url: `${server.base}/index.atom` });
    await feed.pollOnce();
    await feed.pollOnce();
    updated = '2024-10-17T08:00:00+02:00';
    await feed.pollOnce();
    expect(server.hits.filter((h) => h.url === '/cap/a.xml')).toHaveLength(2);
  });
});

describe('polling SensorThings', () => {
  it('follows @iot.nextLink through every page, on the same host only', async () => {
    server = await startRouteServer();
    const all = JSON.parse(fixture('sensorthings_things.json')) as { value: unknown[] };
    const page = (values: unknown[], next?: string) => JSON.stringify({ value: values, ...(next ? { '@iot.nextLink': next } : {}) });
    server.route('/v1.0/Things', (req, res) => {
      const skip = Number(new URL(req.url!, server.base).searchParams.get('$skip') ?? 0);
      const body =
        skip === 0 ? page(all.value.slice(0, 2), `${server.base}/v1.0/Things?$skip=2`) : skip === 2 ? page(all.value.slice(2, 3), `${server.base}/v1.0/Things?$skip=3`) : page(all.value.slice(3), 'http://elsewhere.invalid/v1.0/Things?$skip=9');
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const { feed, store } = poller({ type: 'sensorthings', url: `${server.base}/v1.0/Things` });
    await feed.pollOnce();
    const whole = sensorThingsAdapter.parse(JSON.stringify({ value: all.value }), { feedId: 'f', config: sensorThingsAdapter.configSchema.parse({}), receivedAt: Date.now() });
    expect(whole.records.length).toBeGreaterThan(2);
    const sensors = count(store, "SELECT count(DISTINCT entity) AS n FROM events WHERE kind = 'sensor.upsert'");
    expect(sensors + count(store, 'SELECT count(*) AS n FROM cameras')).toBe(whole.records.length);
    expect(server.hits.map((h) => h.url)).toEqual(['/v1.0/Things', '/v1.0/Things?$skip=2', '/v1.0/Things?$skip=3']);
    // Fetched again, the same readings are not new events.
    const events = count(store, 'SELECT count(*) AS n FROM events');
    await feed.pollOnce();
    expect(count(store, 'SELECT count(*) AS n FROM events')).toBe(events);
  });
});

describe('a feed server that misbehaves', () => {
  it('goes down, hangs, answers 500, flaps and comes back: nothing lost, nothing duplicated', async () => {
    server = await startRouteServer();
    type Mode = 'ok' | '500' | 'hang' | 'reset' | 'garbage';
    let mode: Mode = 'ok';
    let ids: string[] = ['A', 'B'];
    server.route('/incidents.geojson', (_req, res) => {
      if (mode === 'ok') res.writeHead(200, { 'content-type': 'application/geo+json' }).end(featureCollection(ids.map((id) => incidentFeature(id))));
      else if (mode === '500') res.writeHead(500).end('oops');
      else if (mode === 'reset') res.socket?.destroy();
      else if (mode === 'garbage') res.writeHead(200).end('{"type":"FeatureCollection","features":[{"type":"Feature"');
      // hang: never answer
    });
    const { feed, store } = poller({ type: 'geojson', url: `${server.base}/incidents.geojson` });
    const script: [Mode, string[]][] = [
      ['ok', ['A', 'B']],
      ['500', ['A', 'B', 'C']],
      ['hang', ['A', 'B', 'C']],
      ['ok', ['A', 'B', 'C']],
      ['reset', ['A', 'B', 'C', 'D']],
      ['garbage', ['A', 'B', 'C', 'D']],
      ['ok', ['A', 'B', 'C', 'D']],
      ['500', ['A', 'B', 'C', 'D', 'E']],
      ['ok', ['A', 'B', 'C', 'D', 'E']],
    ];
    const states: string[] = [];
    for (const [m, list] of script) {
      mode = m;
      ids = list;
      await feed.pollOnce();
      states.push(feed.status().state);
    }
    expect(states).toEqual(['ok', 'failing', 'failing', 'ok', 'failing', 'ok', 'ok', 'failing', 'ok']);
    expect(store.incidents.total()).toBe(5);
    expect(count(store, "SELECT count(*) AS n FROM events WHERE kind = 'incident.upsert'")).toBe(5);
    expect(count(store, 'SELECT count(DISTINCT entity) AS n FROM events')).toBe(5);
    // The truncated body is kept for a person to look at; the feed itself answered.
    expect(store.quarantine.list(5)[0]!.reason).toMatch(/JSON/i);
    expect(feed.status()).toMatchObject({ errorCount: 4, consecutiveErrors: 0 });
  }, 15_000);

  it('refuses a body over the size limit, keeping its start in quarantine', async () => {
    server = await startRouteServer();
    const big = featureCollection(Array.from({ length: 400 }, (_, i) => incidentFeature(`I${i}`)));
    server.route('/big.geojson', (_req, res) => res.writeHead(200).end(big));
    const { feed, store } = poller({ type: 'geojson', url: `${server.base}/big.geojson`, maxPayloadBytes: 16 * 1024 });
    await feed.pollOnce();
    expect(store.incidents.total()).toBe(0);
    const [entry] = store.quarantine.list(1);
    expect(entry!.reason).toMatch(/over this feed's limit of 16384 bytes/);
    expect(entry!.raw.length).toBeLessThan(8 * 1024);
    expect(feed.status().state).toBe('ok');
  });

  it('names the timeout when the server hangs', async () => {
    server = await startRouteServer();
    server.route('/hang', () => undefined);
    const { feed } = poller({ type: 'geojson', url: `${server.base}/hang` });
    await feed.pollOnce();
    expect(feed.status().lastError).toMatch(/no answer within 1 s/);
  });
});
