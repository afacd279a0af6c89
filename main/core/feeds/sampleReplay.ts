import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { FeedConfigInput } from '../config';
import { acceptCotWebSockets, listenOn } from './simulator';
import { encodeVehiclePositions, type VehiclePositionMessage } from './gtfsRealtimeEncode';

/**
 * Replays the real feed samples of `../shared/data/feeds/` (see its README) as live feeds over
 * the transports Vigie reads, with their times shifted to now, so a demo or a test runs against
 * real-shaped data: the Chicago Open311 request, the OASIS CAP Amber alert, King County's
 * GTFS-realtime vehicles, the GOST SensorThings thermometer and the iTAK Cursor on Target
 * position. The files are read, never copied; each is re-served as the source would serve it:
 *   HTTP polling  /open311/requests.json, /cap/alert.xml, /gtfs-rt/vehicle-positions.pb (protobuf),
 *                 /sensorthings/v1.0/Things
 *   SSE           /sse/open311 (one request list per event)
 *   WebSocket     ws://…/ws/cot (the CoT event every tick)
 *   UDP and TCP   the CoT event sent every tick to the listeners of the two listener feeds
 * Times: records that describe a moment (positions, readings) take the time of each tick; the
 * others (the alert, the request) are shifted once, so that their newest time is the start, and a
 * re-poll delivers the same record, as a real source does.
 */
export interface SampleReplay {
  url: string;
  feedConfigs(): FeedConfigInput[];
  /** Sends and refreshes everything now (the timer does it every tickMs). */
  tick(): void;
  close(): Promise<void>;
}

export interface SampleReplayOptions {
  /** The folder holding cap/, cot/, gtfs-rt/, open311/, sensorthings/ (../shared/data/feeds). */
  dir: string;
  port?: number;
  host?: string;
  tickMs?: number;
  /** Ports the CoT listener feeds will listen on (default: free ports found at start). */
  cotUdpPort?: number;
  cotTcpPort?: number;
}

const FILES = {
  cap: 'cap/cap_amber_alert_example.xml',
  cot: 'cot/itak_position_sample.xml',
  gtfs: 'gtfs-rt/king_county_metro_vehiclepositions_excerpt.json',
  open311: 'open311/chicago_georeport_v2_request_sample.json',
  sensorthings: 'sensorthings/gost_playground_examples.json',
} as const;

/** Where the samples are, or the sentence that says why the replay is skipped. */
export function findSamples(dir: string): { dir: string } | { skipped: string } {
  const missing = Object.values(FILES).filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length === Object.keys(FILES).length) return { skipped: `no feed samples in ${dir} (is ../shared/data absent on this machine?); replay of real samples skipped` };
  if (missing.length > 0) return { skipped: `${dir} lacks ${missing.join(', ')}; replay of real samples skipped` };
  return { dir };
}

/** CAP 1.2 times: offset form, no fraction, no "Z" (the schema's pattern). */
const capTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, '+00:00');
/** Open311 and CoT accept either; UTC with Z, whole seconds. */
const isoTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** Every `<name>time</name>` of the alert moved by `shift` ms. */
function shiftCap(xml: string, shift: number): string {
  return xml.replace(/<(sent|effective|onset|expires)>([^<]+)<\/\1>/g, (_, name: string, t: string) => `<${name}>${capTime(Date.parse(t) + shift)}</${name}>`);
}

/** The CoT event as if sent at `now`: time, start and stale keep their distances. */
function shiftCot(xml: string, now: number): string {
  const time = Date.parse(/\btime="([^"]+)"/.exec(xml)?.[1] ?? '');
  const shift = Number.isFinite(time) ? now - time : 0;
  return xml.replace(/\b(time|start|stale)="([^"]+)"/g, (_, name: string, t: string) => `${name}="${isoTime(Date.parse(t) + shift)}"`);
}

/** Open311 requests moved so that the newest update is `at`. */
function shiftOpen311(list: Record<string, unknown>[], at: number): Record<string, unknown>[] {
  const times = list.map((r) => Date.parse(String(r.updated_datetime ?? r.requested_datetime))).filter(Number.isFinite);
  const shift = times.length > 0 ? at - Math.max(...times) : 0;
  const move = (v: unknown) => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? isoTime(Date.parse(v) + shift) : v);
  return list.map((r) => ({
    ...r,
    requested_datetime: move(r.requested_datetime),
    ...(r.updated_datetime !== undefined ? { updated_datetime: move(r.updated_datetime) } : {}),
    ...(r.expected_datetime !== undefined ? { expected_datetime: move(r.expected_datetime) } : {}),
    ...(Array.isArray(r.notes) ? { notes: (r.notes as Record<string, unknown>[]).map((n) => ({ ...n, datetime: move(n.datetime) })) } : {}),
  }));
}

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelKeys(v)]));
}

/** The decoded GTFS-rt excerpt, re-encoded as the protobuf a server sends, its times moved so the header is `nowS`. */
function gtfsAt(sample: { header: { timestamp: number }; entity: { vehicle?: { timestamp?: number } }[] }, nowS: number): Uint8Array {
  const shift = nowS - sample.header.timestamp;
  const message = camelKeys({
    header: { ...sample.header, timestamp: nowS },
    entity: sample.entity.map((e) => ({ ...e, vehicle: e.vehicle && { ...e.vehicle, ...(e.vehicle.timestamp ? { timestamp: e.vehicle.timestamp + shift } : {}) } })),
  });
  return encodeVehiclePositions(message as VehiclePositionMessage);
}

/** The GOST examples assembled into one expanded Thing, as `Things?$expand=Locations,Datastreams(...)` answers, read now. */
function sensorThingsAt(ex: Record<string, Record<string, unknown>>, base: string, now: number): string {
  const observation = { ...ex.Observation, phenomenonTime: new Date(now).toISOString(), resultTime: new Date(now).toISOString() };
  const thing = {
    ...ex.Thing,
    '@iot.selfLink': `${base}/sensorthings/v1.0/Things(${String(ex.Thing?.['@iot.id'])})`,
    Locations: [ex.Location],
    Datastreams: [{ ...ex.Datastream, ObservedProperty: ex.ObservedProperty, Observations: [observation] }],
  };
  return JSON.stringify({ '@iot.count': 1, value: [thing] });
}

/** A port nobody listens on now (for the CoT listener feeds the replay sends to). */
export async function freePort(host: string, udp = false): Promise<number> {
  if (udp) {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => socket.once('error', reject).bind(0, host, resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startSampleReplay(options: SampleReplayOptions): Promise<SampleReplay> {
  const read = (f: string) => fs.readFileSync(path.join(options.dir, f), 'utf8');
  const host = options.host ?? '127.0.0.1';
  const start = Math.floor(Date.now() / 1000) * 1000;
  const capXml = read(FILES.cap);
  const capSent = Date.parse(/<sent>([^<]+)<\/sent>/.exec(capXml)?.[1] ?? '');
  const alertXml = shiftCap(capXml, Number.isFinite(capSent) ? start - capSent : 0);
  const cotXml = read(FILES.cot).trim();
  const gtfs = JSON.parse(read(FILES.gtfs)) as Parameters<typeof gtfsAt>[0];
  const requests = JSON.stringify(shiftOpen311(JSON.parse(read(FILES.open311)) as Record<string, unknown>[], start));
  const gost = JSON.parse(read(FILES.sensorthings)) as Record<string, Record<string, unknown>>;
  const cotUdpPort = options.cotUdpPort ?? (await freePort(host, true));
  const cotTcpPort = options.cotTcpPort ?? (await freePort(host));

  let base = '';
  let sseId = 0;
  const sseClients = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const send = (type: string, body: string | Uint8Array) => res.writeHead(200, { 'content-type': type }).end(body);
    switch (url.pathname) {
      case '/open311/requests.json':
        return send('application/json', requests);
      case '/cap/alert.xml':
        return send('application/cap+xml', alertXml);
      case '/gtfs-rt/vehicle-positions.pb':
        return send('application/x-protobuf', gtfsAt(gtfs, Math.floor(Date.now() / 1000)));
      case '/sensorthings/v1.0/Things':
        return send('application/json', sensorThingsAt(gost, base, Date.now()));
      case '/sse/open311':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        // Node holds the head back until the first body byte: a client resuming from Last-Event-ID
        // gets no event, so without this it never saw an answer and gave up ("no answer within 10 s").
        res.flushHeaders();
        // The request list once per connection: a client resuming from Last-Event-ID has it already.
        if (!req.headers['last-event-id']) res.write(`id: ${++sseId}\ndata: ${requests}\n\n`);
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not a replayed sample');
  });
  const wsClients = acceptCotWebSockets(server);
  base = `http://${host}:${await listenOn(server, options.port ?? 0, host)}`;

  // CoT senders push to Vigie's listeners: over UDP one datagram per event; over TCP one
  // connection, reopened on the next tick when Vigie is not (yet) listening.
  const udp = dgram.createSocket('udp4');
  udp.on('error', () => {});
  let tcp: net.Socket | null = null;
  const sendTcp = (xml: string) => {
    if (!tcp) {
      const socket = net.connect(cotTcpPort, host);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        if (tcp === socket) tcp = null;
      });
      tcp = socket;
    }
    tcp.write(xml);
  };

  const tick = () => {
    const cot = shiftCot(cotXml, Date.now());
    for (const ws of wsClients) ws.send(cot);
    udp.send(cot, cotUdpPort, host);
    sendTcp(cot);
  };
  tick();
  const timer = setInterval(tick, options.tickMs ?? 1000);
  // A comment line now and then: the stream is quiet once the list is sent, and a client (Vigie's
  // watchdog, a proxy) takes a silent connection for a dead one.
  const keepAlive = setInterval(() => {
    for (const c of sseClients) c.write(': keep-alive\n\n');
  }, 15_000);
  const ws = base.replace(/^http/, 'ws');

  return {
    url: base,
    tick,
    feedConfigs: () => [
      { id: 'sample-open311', type: 'open311', label: 'Open311 Chicago (real sample, replayed)', url: `${base}/open311/requests.json`, intervalSeconds: 5, options: { defaultCategory: 'other' } },
      { id: 'sample-open311-sse', type: 'open311', label: 'Open311 Chicago over SSE (real sample, replayed)', transport: 'sse', url: `${base}/sse/open311`, options: { defaultCategory: 'other' } },
      { id: 'sample-cap', type: 'cap', label: 'CAP Amber alert (real sample, replayed)', url: `${base}/cap/alert.xml`, intervalSeconds: 10 },
      { id: 'sample-gtfs', type: 'gtfs-rt', label: 'GTFS-rt King County (real sample, replayed)', url: `${base}/gtfs-rt/vehicle-positions.pb`, intervalSeconds: 2 },
      { id: 'sample-sensors', type: 'sensorthings', label: 'SensorThings GOST (real sample, replayed)', url: `${base}/sensorthings/v1.0/Things`, intervalSeconds: 10 },
      { id: 'sample-cot-ws', type: 'cot', label: 'CoT iTAK over WebSocket (real sample, replayed)', url: `${ws}/ws/cot` },
      { id: 'sample-cot-udp', type: 'cot', label: 'CoT iTAK over UDP (real sample, replayed)', transport: 'udp', listen: { host, port: cotUdpPort } },
      { id: 'sample-cot-tcp', type: 'cot', label: 'CoT iTAK over TCP (real sample, replayed)', transport: 'tcp', listen: { host, port: cotTcpPort } },
    ],
    close: async () => {
      clearInterval(timer);
      clearInterval(keepAlive);
      tcp?.destroy();
      udp.close();
      for (const c of wsClients) c.terminate();
      for (const c of sseClients) c.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
