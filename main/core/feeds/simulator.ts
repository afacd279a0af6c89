import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FeedConfigInput } from '../config';
import { BUILTIN_PLACES, type Place } from '../city/builtinMarseille';
import { seededRandom } from '../../../common/random';
import { encodeVehiclePositions } from './gtfsRealtimeEncode';

/**
 * Simulated feeds of every standard Vigie reads, served on loopback (`vigie simulate`): for the
 * demo, the tests and the benchmarks. Everything is generated (seeded), in Marseille, and labelled
 * simulated in its titles. Endpoints, each with the config that reads it in feedConfigs():
 *   /geojson/incidents.geojson   GeoJSON incidents (ETag)
 *   /open311/requests.json       Open311 GeoReport v2 (honours updated_after)
 *   /cap/index.atom, /cap/alerts/ID.xml   CAP 1.2 alerts behind an Atom index
 *   /gtfs-rt/vehicle-positions.pb GTFS-realtime VehiclePositions
 *   /sensorthings/v1.0/Things    SensorThings Things, paged with @iot.nextLink (sensors, cameras)
 *   /csv/incidents.csv           CSV incidents
 *   /sse/incidents               Server-Sent Events, one GeoJSON incident per event
 *   ws://…/ws/cot                WebSocket, Cursor on Target unit positions
 */
export interface Simulator {
  url: string;
  port: number;
  feedConfigs(): FeedConfigInput[];
  /** Advances the simulation one step now (the timer does it every tickMs). */
  tick(): void;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  seed?: number;
  tickMs?: number;
  places?: readonly Place[];
}

interface SimIncident {
  id: string;
  category: string;
  priority: number;
  status: 'new' | 'acknowledged' | 'dispatched' | 'on_scene' | 'closed';
  title: string;
  lon: number;
  lat: number;
  occurredAt: number;
  updatedAt: number;
}

interface SimUnit {
  id: string;
  callsign: string;
  lon: number;
  lat: number;
  heading: number;
  speed: number;
}

const CATEGORIES: [string, string][] = [
  ['theft', 'Vol à l’arraché (simulé)'],
  ['noise', 'Tapage nocturne (simulé)'],
  ['public_order', 'Attroupement (simulé)'],
  ['traffic_accident', 'Accident matériel (simulé)'],
  ['vandalism', 'Dégradation de mobilier urbain (simulé)'],
  ['fire', 'Feu de poubelles (simulé)'],
];
const NEXT = { new: 'acknowledged', acknowledged: 'dispatched', dispatched: 'on_scene', on_scene: 'closed', closed: 'closed' } as const;
const OPEN311_STATUS = { new: 'open', acknowledged: 'in_progress', dispatched: 'in_progress', on_scene: 'in_progress', closed: 'closed' } as const;
const iso = (ms: number) => new Date(ms).toISOString();

/** The CoT WebSocket stream of a simulated feed server (`/ws/cot`): the clients connected to it. */
export function acceptCotWebSockets(server: http.Server): Set<WebSocket> {
  const wss = new WebSocketServer({ noServer: true });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws/cot') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
    });
  });
  server.on('close', () => wss.close());
  return clients;
}

/** Listens on loopback (or `host`); resolves with the port, rejects when it cannot bind. */
export async function listenOn(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return (server.address() as { port: number }).port;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const random = seededRandom(options.seed ?? 7);
  const places = options.places ?? BUILTIN_PLACES;
  const place = () => places[Math.floor(random() * places.length)]!;
  const jitter = () => (random() - 0.5) * 0.002;
  let version = 0;
  let counter = 0;
  const incidents: SimIncident[] = [];
  const requests: SimIncident[] = [];
  const newIncident = (prefix: string, at: number): SimIncident => {
    const p = place();
    const [category, title] = CATEGORIES[Math.floor(random() * CATEGORIES.length)]!;
    return { id: `${prefix}-${++counter}`, category, priority: 1 + Math.floor(random() * 4), status: 'new', title: `${title} · ${p.name}`, lon: p.lon + jitter(), lat: p.lat + jitter(), occurredAt: at - Math.floor(random() * 600_000), updatedAt: at };
  };
  const start = Date.now();
  for (let i = 0; i < 20; i++) incidents.push(newIncident('SIM', start));
  for (let i = 0; i < 8; i++) requests.push(newIncident('SR', start));
  const units: SimUnit[] = Array.from({ length: 16 }, (_, i) => {
    const p = place();
    return { id: `SIM-U${i + 1}`, callsign: `SIM ${String(i + 1).padStart(2, '0')}`, lon: p.lon, lat: p.lat, heading: random() * 360, speed: 4 + random() * 8 };
  });
  const cameras = Array.from({ length: 8 }, (_, i) => {
    const p = place();
    return { id: `cam-${i + 1}`, name: `Caméra simulée ${i + 1}`, lon: p.lon, lat: p.lat, heading: Math.floor(random() * 360), online: true };
  });
  const sensors = Array.from({ length: 4 }, (_, i) => {
    const p = place();
    return { id: `aq-${i + 1}`, name: `Station air simulée ${i + 1}`, lon: p.lon, lat: p.lat, pm10: 15 + random() * 20 };
  });
  const alerts = [
    { id: 'SIM-ALERT-1', event: 'Vigilance vent violent (simulé)', severity: 'Moderate', sent: start, polygon: '43.28,5.33 43.32,5.33 43.32,5.40 43.28,5.40 43.28,5.33', circle: '' },
    { id: 'SIM-ALERT-2', event: 'Exercice inondation (simulé)', severity: 'Severe', sent: start, polygon: '', circle: '43.2965,5.3798 1.5' },
  ];
  const sseHistory: { id: number; data: string }[] = [];
  const sseClients = new Set<http.ServerResponse>();
  const feature = (i: SimIncident) => ({
    type: 'Feature',
    id: i.id,
    geometry: { type: 'Point', coordinates: [i.lon, i.lat] },
    properties: { category: i.category, priority: i.priority, status: i.status, title: i.title, occurredAt: iso(i.occurredAt) },
  });

  const tick = () => {
    const now = Date.now();
    version++;
    for (const u of units) {
      u.heading = (u.heading + (random() - 0.5) * 40 + 360) % 360;
      const d = (u.speed * (options.tickMs ?? 1000)) / 1000 / 111_000;
      u.lon += Math.sin((u.heading * Math.PI) / 180) * d * 1.4;
      u.lat += Math.cos((u.heading * Math.PI) / 180) * d;
    }
    if (random() < 0.3) incidents.push(newIncident('SIM', now));
    const moving = incidents.filter((i) => i.status !== 'closed');
    if (moving.length > 0 && random() < 0.5) {
      const i = moving[Math.floor(random() * moving.length)]!;
      i.status = NEXT[i.status];
      i.updatedAt = now;
    }
    if (random() < 0.2) requests.push(newIncident('SR', now));
    if (random() < 0.2) {
      const r = requests[Math.floor(random() * requests.length)]!;
      r.status = NEXT[r.status];
      r.updatedAt = now;
    }
    for (const s of sensors) s.pm10 = Math.max(1, s.pm10 + (random() - 0.5) * 4);
    if (random() < 0.05) cameras[Math.floor(random() * cameras.length)]!.online = random() < 0.8;
    // The SSE stream carries the newest incident change.
    const last = [...incidents].sort((a, b) => b.updatedAt - a.updatedAt)[0];
    if (last) {
      const e = { id: sseHistory.length + 1, data: JSON.stringify(feature(last)) };
      sseHistory.push(e);
      if (sseHistory.length > 1000) sseHistory.splice(0, sseHistory.length - 1000);
      for (const c of sseClients) c.write(`id: ${e.id}\ndata: ${e.data}\n\n`);
    }
    for (const ws of wsClients) for (const u of units) ws.send(cotEvent(u, now));
  };

  const cotEvent = (u: SimUnit, now: number) =>
    `<?xml version="1.0" encoding="UTF-8"?><event version="2.0" uid="${u.id}" type="a-f-G-U-C" time="${iso(now)}" start="${iso(now)}" stale="${iso(now + 120_000)}" how="m-g"><point lat="${u.lat.toFixed(6)}" lon="${u.lon.toFixed(6)}" hae="0" ce="10" le="9999999"/><detail><contact callsign="${u.callsign}"/><track course="${u.heading.toFixed(1)}" speed="${u.speed.toFixed(1)}"/></detail></event>`;

  const capAlert = (a: (typeof alerts)[number]) => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${a.id}</identifier><sender>simulateur@vigie.invalid</sender><sent>${iso(a.sent).replace(/\.\d+Z$/, '+00:00')}</sent>
  <status>Exercise</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>fr-FR</language><category>Met</category><event>${a.event}</event><urgency>Expected</urgency><severity>${a.severity}</severity><certainty>Likely</certainty>
    <expires>${iso(a.sent + 86_400_000).replace(/\.\d+Z$/, '+00:00')}</expires><senderName>Simulateur Vigie</senderName><headline>${a.event}</headline>
    <area><areaDesc>Marseille (simulé)</areaDesc>${a.polygon ? `<polygon>${a.polygon}</polygon>` : ''}${a.circle ? `<circle>${a.circle}</circle>` : ''}</area></info>
</alert>`;

  const thing = (base: string) => [
    ...cameras.map((c) => ({
      '@iot.id': c.id,
      name: c.name,
      properties: { type: 'camera', heading: c.heading, fieldOfView: 60, range: 120 },
      Locations: [{ location: { type: 'Point', coordinates: [c.lon, c.lat] } }],
      Datastreams: [{ '@iot.id': `${c.id}-status`, name: 'status', ObservedProperty: { name: 'status' }, Observations: [{ phenomenonTime: iso(Date.now() - 5_000), result: c.online ? 'online' : 'offline' }] }],
    })),
    ...sensors.map((s) => ({
      '@iot.id': s.id,
      name: s.name,
      properties: { type: 'air_quality' },
      Locations: [{ location: { type: 'Point', coordinates: [s.lon, s.lat] } }],
      Datastreams: [{ '@iot.id': `${s.id}-pm10`, name: 'PM10', unitOfMeasurement: { symbol: 'µg/m³' }, ObservedProperty: { name: 'PM10' }, Observations: [{ phenomenonTime: iso(Date.now() - 5_000), result: Math.round(s.pm10 * 10) / 10 }] }],
    })),
  ].map((t) => ({ ...t, '@iot.selfLink': `${base}/sensorthings/v1.0/Things('${t['@iot.id']}')` }));

  const gtfs = () => {
    const t = Math.floor(Date.now() / 1000);
    return encodeVehiclePositions({
      header: { timestamp: t },
      entity: units.map((u) => ({ id: `v-${u.id}`, vehicle: { vehicle: { id: u.id, label: u.callsign }, position: { latitude: u.lat, longitude: u.lon, bearing: u.heading, speed: u.speed }, timestamp: t } })),
    });
  };

  let base = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const send = (type: string, body: string | Uint8Array, etag?: string) => {
      if (etag && req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': type, ...(etag ? { etag } : {}) }).end(body);
    };
    switch (url.pathname) {
      case '/geojson/incidents.geojson':
        return send('application/geo+json', JSON.stringify({ type: 'FeatureCollection', features: incidents.slice(-200).map(feature) }), `"v${version}"`);
      case '/open311/requests.json': {
        const after = Date.parse(url.searchParams.get('updated_after') ?? '');
        const list = requests.filter((r) => !Number.isFinite(after) || r.updatedAt > after);
        return send('application/json', JSON.stringify(list.map((r) => ({
          service_request_id: r.id, status: OPEN311_STATUS[r.status], service_code: r.category, service_name: r.title,
          requested_datetime: iso(r.occurredAt), updated_datetime: iso(r.updatedAt), lat: r.lat, long: r.lon, address: 'Marseille (simulé)',
        }))));
      }
      case '/cap/index.atom':
        return send('application/atom+xml', `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:vigie:sim:cap</id><title>Alertes simulées</title><updated>${iso(start)}</updated>${alerts.map((a) => `<entry><id>urn:vigie:sim:${a.id}</id><updated>${iso(a.sent)}</updated><title>${a.event}</title><link rel="alternate" type="application/cap+xml" href="/cap/alerts/${a.id}.xml"/></entry>`).join('')}</feed>`);
      case '/gtfs-rt/vehicle-positions.pb':
        return send('application/x-protobuf', gtfs());
      case '/sensorthings/v1.0/Things': {
        const skip = Number(url.searchParams.get('$skip') ?? 0) || 0;
        const all = thing(base);
        const page = all.slice(skip, skip + 5);
        return send('application/json', JSON.stringify({ '@iot.count': all.length, value: page, ...(skip + 5 < all.length ? { '@iot.nextLink': `${base}/sensorthings/v1.0/Things?$skip=${skip + 5}` } : {}) }));
      }
      case '/csv/incidents.csv':
        return send('text/csv', ['id,quand,nature,prio,libelle,x,y', ...incidents.slice(-100).map((i) => `${i.id},${iso(i.occurredAt)},${i.category},${i.priority},"${i.title.replace(/"/g, '""')}",${i.lon.toFixed(6)},${i.lat.toFixed(6)}`)].join('\n') + '\n', `"v${version}"`);
      case '/sse/incidents': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        // Sent now, not with the first event: a client resuming with nothing new to read still gets its answer.
        res.flushHeaders();
        const lastId = Number(req.headers['last-event-id'] ?? 0) || 0;
        for (const e of sseHistory) if (e.id > lastId) res.write(`id: ${e.id}\ndata: ${e.data}\n\n`);
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
      }
    }
    const alert = /^\/cap\/alerts\/([\w-]+)\.xml$/.exec(url.pathname);
    const found = alert && alerts.find((a) => a.id === alert[1]);
    if (found) return send('application/cap+xml', capAlert(found));
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not a simulated feed');
  });
  const wsClients = acceptCotWebSockets(server);
  const port = await listenOn(server, options.port ?? 0, options.host ?? '127.0.0.1');
  base = `http://${options.host ?? '127.0.0.1'}:${port}`;
  tick();
  const timer = setInterval(tick, options.tickMs ?? 1000);
  const wsBase = base.replace(/^http/, 'ws');

  return {
    url: base,
    port,
    tick,
    feedConfigs: () => [
      { id: 'sim-geojson', type: 'geojson', label: 'GeoJSON (simulé)', url: `${base}/geojson/incidents.geojson`, intervalSeconds: 2 },
      { id: 'sim-open311', type: 'open311', label: 'Open311 (simulé)', url: `${base}/open311/requests.json`, intervalSeconds: 5, options: { defaultCategory: 'other', categories: Object.fromEntries(CATEGORIES.map(([c]) => [c, c])) } },
      { id: 'sim-cap', type: 'cap', label: 'CAP (simulé)', url: `${base}/cap/index.atom`, intervalSeconds: 10 },
      { id: 'sim-gtfs', type: 'gtfs-rt', label: 'GTFS-rt (simulé)', url: `${base}/gtfs-rt/vehicle-positions.pb`, intervalSeconds: 2 },
      { id: 'sim-sensors', type: 'sensorthings', label: 'SensorThings (simulé)', url: `${base}/sensorthings/v1.0/Things`, intervalSeconds: 10 },
      { id: 'sim-csv', type: 'csv', label: 'CSV (simulé)', url: `${base}/csv/incidents.csv`, intervalSeconds: 10, options: { kind: 'incident', columns: { externalId: 'id', occurredAt: 'quand', category: 'nature', priority: 'prio', title: 'libelle', lon: 'x', lat: 'y' } } },
      { id: 'sim-sse', type: 'geojson', label: 'SSE (simulé)', transport: 'sse', url: `${base}/sse/incidents` },
      { id: 'sim-cot', type: 'cot', label: 'CoT WebSocket (simulé)', url: `${wsBase}/ws/cot` },
    ],
    close: async () => {
      clearInterval(timer);
      for (const ws of wsClients) ws.terminate();
      for (const c of sseClients) c.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
