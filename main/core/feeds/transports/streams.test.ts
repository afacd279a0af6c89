import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../bus';
import { FeedConfig, type FeedConfigInput } from '../../config';
import { Store } from '../../store';
import { createRunner } from '../scheduler';
import { TcpListenerFeed, UdpListenerFeed } from './listeners';
import { incidentFeature, tempDir } from '../../../../test/helpers';
import { startSseFeedServer, startWsFeedServer, waitFor } from '../../../../test/feedServers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

function setup(config: FeedConfigInput, store = Store.open(tempDir())) {
  const bus = new EventBus();
  const pushes: { event: string; payload: unknown }[] = [];
  bus.subscribe((event, payload) => pushes.push({ event, payload }));
  const feed = createRunner({ store, bus }, FeedConfig.parse(config));
  feed.start();
  cleanups.push(() => store.close());
  cleanups.push(() => feed.stop());
  return { feed, store, pushes };
}

function cotEvent(uid: string, lat: number, lon: number, t = new Date()) {
  const time = t.toISOString();
  const stale = new Date(t.getTime() + 120_000).toISOString();
  return `<?xml version="1.0"?><event version="2.0" uid="${uid}" type="a-f-G-U-C" time="${time}" start="${time}" stale="${stale}" how="m-g"><point lat="${lat}" lon="${lon}" hae="0" ce="5" le="9999999"/><detail><contact callsign="${uid}"/></detail></event>`;
}

describe('a WebSocket feed', () => {
  it('stores what the server sends, reconnects after the server drops it, and stores what comes next', async () => {
    const server = await startWsFeedServer();
    cleanups.push(() => server.close());
    const { feed, store } = setup({ id: 'ws', type: 'geojson', url: server.url, intervalSeconds: 0.25 });
    await waitFor(() => server.clients.size === 1, 5000, 'the feed to connect');
    server.send(JSON.stringify(incidentFeature('A')));
    await waitFor(() => store.incidents.total() === 1, 5000, 'incident A');
    server.dropClients();
    await waitFor(() => feed.status().consecutiveErrors > 0, 5000, 'the drop to be noticed');
    expect(feed.status().state).toBe('failing');
    await waitFor(() => server.clients.size === 1, 5000, 'the feed to reconnect');
    server.send(JSON.stringify(incidentFeature('B')));
    await waitFor(() => store.incidents.total() === 2, 5000, 'incident B');
    await waitFor(() => feed.status().state === 'ok', 5000, 'state ok');
    expect(feed.status()).toMatchObject({ transport: 'websocket', stale: false, kinds: ['incident'], errorCount: 1, recordsPerMinute: 2 });
  });

  it('stores a burst of 3,000 positions in a few batches with one push per batch, not one per record', async () => {
    const server = await startWsFeedServer();
    cleanups.push(() => server.close());
    const { store, pushes } = setup({ id: 'cot-ws', type: 'cot', url: server.url });
    await waitFor(() => server.clients.size === 1, 5000, 'the feed to connect');
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 3000; i++) server.send(cotEvent(`U${i % 300}`, 43.29 + i * 1e-5, 5.37, new Date(t0 + i * 10)));
    await waitFor(() => (store.db.prepare('SELECT count(*) AS n FROM unit_positions').get() as { n: number }).n === 3000, 10_000, '3000 positions');
    const unitPushes = pushes.filter((p) => p.event === 'units.changed').length;
    expect(unitPushes).toBeGreaterThan(0);
    expect(unitPushes).toBeLessThan(60);
    expect(store.units.list().length).toBe(300);
  });

  it('pushes a burst of 1,000 incidents to the windows in a few batched messages', async () => {
    const server = await startWsFeedServer();
    cleanups.push(() => server.close());
    const { store, pushes } = setup({ id: 'busy', type: 'geojson', url: server.url });
    await waitFor(() => server.clients.size === 1, 5000, 'connect');
    for (let i = 0; i < 1000; i++) server.send(JSON.stringify(incidentFeature(`I${i}`)));
    await waitFor(() => store.incidents.total() === 1000, 10_000, '1000 incidents');
    await waitFor(() => pushes.filter((p) => p.event.startsWith('incident')).reduce((n, p) => n + (p.event === 'incidents.changed' ? (p.payload as { incidents: unknown[] }).incidents.length : 1), 0) === 1000, 5000, 'all pushed');
    expect(pushes.filter((p) => p.event.startsWith('incident')).length).toBeLessThan(50);
  });

  it('quarantines a message over the size limit and keeps the connection', async () => {
    const server = await startWsFeedServer();
    cleanups.push(() => server.close());
    const { store } = setup({ id: 'ws-big', type: 'geojson', url: server.url, maxPayloadBytes: 2048 });
    await waitFor(() => server.clients.size === 1, 5000, 'connect');
    server.send(JSON.stringify(incidentFeature('BIG', { description: 'x'.repeat(3000) })));
    server.send(JSON.stringify(incidentFeature('SMALL')));
    await waitFor(() => store.incidents.total() === 1 && store.quarantine.count() === 1, 5000, 'one stored, one quarantined');
    expect(store.quarantine.list(1)[0]!.reason).toMatch(/over this feed's limit of 2048 bytes/);
    expect(store.incidents.get('ws-big:SMALL')).not.toBeNull();
  });
});

describe('a Server-Sent Events feed', () => {
  it('resumes after a drop and after a restart from the last event id, storing nothing twice', async () => {
    const server = await startSseFeedServer();
    cleanups.push(() => server.close());
    const dir = tempDir();
    const first = setup({ id: 'sse', type: 'geojson', transport: 'sse', url: server.url, intervalSeconds: 0.25 }, Store.open(dir));
    await waitFor(() => server.lastEventIds.length === 1, 5000, 'connect');
    server.push(JSON.stringify(incidentFeature('A')));
    server.push(JSON.stringify(incidentFeature('B')));
    server.push('{"not": "a feature"}');
    server.comment('keep-alive');
    await waitFor(() => first.store.incidents.total() === 2 && first.store.quarantine.count() === 1, 5000, 'A, B and one quarantined');
    server.dropClients();
    await waitFor(() => server.lastEventIds.length === 2, 5000, 'reconnect');
    expect(server.lastEventIds[1]).toBe('3');
    server.push(JSON.stringify(incidentFeature('C')));
    await waitFor(() => first.store.incidents.total() === 3, 5000, 'C');
    // Restart: a new runner on the same database sends the id it committed last.
    await first.feed.stop();
    first.store.close();
    server.push(JSON.stringify(incidentFeature('D')));
    const second = setup({ id: 'sse', type: 'geojson', transport: 'sse', url: server.url, intervalSeconds: 0.25 }, Store.open(dir));
    await waitFor(() => second.store.incidents.total() === 4, 5000, 'D after restart');
    expect(server.lastEventIds.at(-1)).toBe('4');
    expect(second.store.quarantine.count()).toBe(1);
    const upserts = second.store.db.prepare("SELECT count(*) AS n FROM events WHERE kind = 'incident.upsert'").get() as { n: number };
    expect(upserts.n).toBe(4);
  });

  it('reports a URL that does not answer an event stream', async () => {
    const server = await startSseFeedServer();
    const url = server.url;
    await server.close();
    const { feed } = setup({ id: 'sse-down', type: 'geojson', transport: 'sse', url, intervalSeconds: 0.25 });
    await waitFor(() => feed.status().consecutiveErrors > 0, 5000, 'an error');
    expect(feed.status()).toMatchObject({ state: 'failing', stale: true, lastError: expect.stringMatching(/ECONNREFUSED|fetch failed/) });
  });
});

describe('CoT listeners', () => {
  it('reads CoT events over TCP however the sender cuts them, and the good events of a connection that sends garbage', async () => {
    const { feed, store } = setup({ id: 'tak', type: 'cot', transport: 'tcp', listen: { port: 0 } });
    const tcp = feed as TcpListenerFeed;
    await waitFor(() => tcp.port !== null, 5000, 'listening');
    const stream = [cotEvent('P1', 43.29, 5.37), '<event uid="broken" type="a-f-G"><point lat="95" lon="5"/></event>', cotEvent('P2', 43.3, 5.38)].join('\n');
    const socket = net.connect(tcp.port!, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Cut in 7-byte pieces: events span many TCP segments.
    for (let i = 0; i < stream.length; i += 7) socket.write(stream.slice(i, i + 7));
    socket.end();
    await waitFor(() => store.units.list().length === 2 && store.quarantine.count() === 1, 5000, 'two units and one quarantined');
    expect(store.units.list().map((u) => u.unitId).sort()).toEqual(['P1', 'P2']);
    expect(feed.status()).toMatchObject({ transport: 'tcp', state: 'ok', quarantined: 1 });
  });

  it('reads CoT datagrams over UDP', async () => {
    const { feed, store } = setup({ id: 'tak-udp', type: 'cot', transport: 'udp', listen: { port: 0 } });
    const udp = feed as UdpListenerFeed;
    await waitFor(() => udp.port !== null, 5000, 'bound');
    const client = dgram.createSocket('udp4');
    cleanups.push(() => new Promise<void>((r) => client.close(() => r())));
    for (const uid of ['U1', 'U2', 'U3']) client.send(cotEvent(uid, 43.29, 5.37), udp.port!, '127.0.0.1');
    client.send('<not-cot', udp.port!, '127.0.0.1');
    await waitFor(() => store.units.list().length === 3 && store.quarantine.count() === 1, 5000, 'three units and one quarantined');
  });

  it('says why it cannot listen when the port is taken, and keeps trying', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const port = (blocker.address() as net.AddressInfo).port;
    const { feed } = setup({ id: 'tak-busy', type: 'cot', transport: 'tcp', listen: { port } });
    await waitFor(() => feed.status().consecutiveErrors > 0, 5000, 'an error');
    expect(feed.status().lastError).toMatch(new RegExp(`cannot listen on tcp 127.0.0.1:${port}: .*EADDRINUSE`));
  });
});

