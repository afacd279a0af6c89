import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../../test/helpers';
import { addHubUser, addWorkstation } from './credentials';
import { freePort, NO_POSTGRES, postgresBinDir, startPgCluster, type PgCluster } from './pgCluster';
import { startCable, startHubProcess, startSeat, waitFor, type Cable, type HubProcess, type Seat } from './testing';
import { VigieCore } from '../core';
import { hubLinkFromConfig } from './workstation';
import { loadProfileConfig } from '../config';

const havePg = postgresBinDir() !== null;
if (!havePg) console.warn(`[skip] hub tests: ${NO_POSTGRES}`);

/**
 * A control room on loopback: a real PostgreSQL started here, a real `vigie hub` process fed by a
 * real HTTP feed, and three workstations (each a core with its own SQLite cache and hub link) over
 * real WebSockets; the third one reaches the hub through a cable the test can cut.
 */
describe.skipIf(!havePg)('hub on PostgreSQL with three workstations', () => {
  let cluster: PgCluster;
  let feed: FeedServer;
  let units: FeedServer;
  let hub: HubProcess;
  let hubPort: number;
  let cable: Cable;
  let dir: string;
  let hubArgs: string[];
  const secrets: Record<string, string> = {};
  let a: Seat, b: Seat, c: Seat;

  const status = (seat: Seat, id: string) => seat.core.store.incidents.get(id)?.status;

  beforeAll(async () => {
    cluster = await startPgCluster();
    dir = tempDir('vigie-10-hub-');
    feed = await startFeedServer(featureCollection(['I1', 'I2', 'I3', 'I4'].map((id) => incidentFeature(id))));
    const state = path.join(dir, 'hub');
    fs.mkdirSync(state);
    const now = Date.now();
    units = await startFeedServer(['id,callsign,type,lon,lat,t,status', `PM-1,PM 1,vehicle,5.377,43.2999,${now},disponible`, `PM-2,PM 2,vehicle,5.385,43.305,${now},disponible`].join('\n'));
    const avl = { id: 'avl', type: 'csv', label: 'AVL', url: units.url, intervalSeconds: 0.5, options: { kind: 'unit', timeFormat: 'epoch_ms', columns: { unitId: 'id', callsign: 'callsign', unitType: 'type', lon: 'lon', lat: 'lat', t: 't', status: 'status' } } };
    fs.writeFileSync(path.join(state, 'config.json'), JSON.stringify({ feeds: [{ id: 'city', type: 'geojson', label: 'City', url: feed.url, intervalSeconds: 0.5 }, avl], demo: false }));
    const credentials = path.join(dir, 'hub-credentials.json');
    for (const ws of ['ws-a', 'ws-b', 'ws-c', 'ws-x', 'ws-d']) secrets[ws] = addWorkstation(credentials, ws);
    for (const [user, ws] of [['alice', 'ws-a'], ['bruno', 'ws-b'], ['chloe', 'ws-c']] as const) addHubUser(credentials, user, 'supervisor', [ws]);
    hubPort = await freePort();
    hubArgs = ['--pg', cluster.url, '--port', String(hubPort), '--state', state, '--credentials', credentials, '--no-demo'];
    hub = await startHubProcess(hubArgs);
    cable = await startCable(hubPort);
    a = startSeat(path.join(dir, 'a'), { urls: [hub.url], workstation: 'ws-a', secret: secrets['ws-a']!, user: 'alice' });
    b = startSeat(path.join(dir, 'b'), { urls: [hub.url], workstation: 'ws-b', secret: secrets['ws-b']!, user: 'bruno' });
    c = startSeat(path.join(dir, 'c'), { urls: [cable.url], workstation: 'ws-c', secret: secrets['ws-c']!, user: 'chloe' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b, c].filter(Boolean).map((s) => s.close()));
    await hub?.stop('SIGKILL');
    await cable?.close();
    await feed?.close();
    await units?.close();
    cluster?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('feeds come once from the hub, and an action on one seat appears on the other two', async () => {
    await waitFor('the feed on every seat', () => [a, b, c].every((s) => status(s, 'city:I4') === 'new'));
    // Each seat's feed list shows the hub's feeds and their health.
    await waitFor("the hub's feeds on C", () => ['city', 'avl'].every((id) => c.call<{ id: string; lastSuccessAt: number | null }[]>('feeds.list', {}).some((f) => f.id === id && f.lastSuccessAt !== null)));
    a.call('incidents.acknowledge', { id: 'city:I1' });
    await waitFor('the acknowledgement on B and C', () => status(b, 'city:I1') === 'acknowledged' && status(c, 'city:I1') === 'acknowledged');
    await waitFor("A's action acknowledged by the hub", () => a.sync.status().pending.length === 0);
    // Seat B's story of the incident says who did it, from which workstation's action.
    const story = b.call<{ kind: string; source: string }[]>('incidents.history', { id: 'city:I1' });
    expect(story.some((e) => e.kind === 'incident.acknowledge' && e.source === 'user:alice')).toBe(true);
  });

  it('an incident created by hand on one seat is on every seat with the same id, its author in the log, and is worked from another seat', async () => {
    const created = b.call<{ id: string }>('incidents.create', { category: 'fire', priority: 1, title: 'Feu de poubelle, rue Paradis', lon: 5.3774, lat: 43.2938, address: '12 Rue Paradis' });
    await waitFor('the new incident on A and C', () => [a, c].every((s) => s.core.store.incidents.get(created.id)?.title === 'Feu de poubelle, rue Paradis'));
    await waitFor("B's creation acknowledged by the hub", () => b.sync.status().pending.length === 0);
    const story = c.call<{ kind: string; source: string }[]>('incidents.history', { id: created.id });
    expect(story.map((e) => [e.kind, e.source])).toEqual([['incident.upsert', 'user:bruno']]);
    // Another seat works it like any other incident.
    a.call('incidents.acknowledge', { id: created.id });
    await waitFor('acknowledged everywhere', () => [a, b, c].every((s) => status(s, created.id) === 'acknowledged'));
  });

  it('a seat cut off keeps working and queues; on reconnection the conflict is told to its author and the rest applies everywhere', async () => {
    cable.cut();
    await waitFor('C offline', () => c.sync.status().mode === 'offline');
    a.call('incidents.close', { id: 'city:I2', reason: 'handled by A' });
    await waitFor("A's close committed", () => a.sync.status().pending.length === 0 && status(b, 'city:I2') === 'closed');
    // C does not know: it closes I2 too, and acknowledges I3; both apply on its own cache at once.
    c.call('incidents.close', { id: 'city:I2', reason: 'handled by C' });
    c.call('incidents.acknowledge', { id: 'city:I3' });
    expect(status(c, 'city:I3')).toBe('acknowledged');
    expect(c.sync.status().pending.map((p) => p.method)).toEqual(['incidents.close', 'incidents.acknowledge']);
    expect(status(a, 'city:I3')).toBe('new');

    cable.mend();
    await waitFor('C back online with nothing pending', () => c.sync.status().mode === 'online' && c.sync.status().pending.length === 0, 20_000);
    const conflicts = c.sync.status().conflicts;
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ method: 'incidents.close', code: 'already_closed', target: 'city:I2', details: { by: 'alice', incidentId: 'city:I2' } });
    expect(conflicts[0]!.message).toMatch(/already closed by alice/);
    await waitFor("C's acknowledgement on A and B", () => status(a, 'city:I3') === 'acknowledged' && status(b, 'city:I3') === 'acknowledged');
    // The winner's decision holds on every seat, the loser's included.
    for (const s of [a, b, c]) expect(status(s, 'city:I2')).toBe('closed');
    // C's story of I2 has Alice's close from the hub, and the refusal of its own.
    const story = c.call<{ kind: string; source: string }[]>('incidents.history', { id: 'city:I2' });
    expect(story.some((e) => e.kind === 'incident.close' && e.source === 'user:alice')).toBe(true);
    expect(story.some((e) => e.kind === 'sync.rejected')).toBe(true);
    expect(a.sync.status().conflicts).toHaveLength(0);
    // The author can dismiss it once read.
    c.call('sync.dismiss', { uid: conflicts[0]!.uid });
    expect(c.sync.status().conflicts).toHaveLength(0);
  }, 60_000);

  it('an annotation edited on two seats keeps the first edit the hub decided; the other seat is told', async () => {
    const fields = { shape: 'point', coordinates: [[5.37, 43.29]], label: 'PC', color: '#4da3ff', geofence: false };
    const created = a.call<{ id: string }>('annotations.save', { fields });
    await waitFor('the annotation on C', () => c.core.store.annotations.get(created.id) !== null && a.sync.status().pending.length === 0);
    await waitFor('C knows its version', () => c.sync.status().pending.length === 0);
    cable.cut();
    await waitFor('C offline', () => c.sync.status().mode === 'offline');
    b.call('annotations.save', { id: created.id, fields: { ...fields, label: 'PC avancé (B)' } });
    await waitFor("B's edit committed", () => b.sync.status().pending.length === 0);
    c.call('annotations.save', { id: created.id, fields: { ...fields, label: 'PC (C)' } });
    cable.mend();
    await waitFor('C decided', () => c.sync.status().mode === 'online' && c.sync.status().pending.length === 0, 20_000);
    expect(c.sync.status().conflicts[0]).toMatchObject({ code: 'annotation_edited', details: { by: 'bruno' } });
    await waitFor("B's label everywhere", () => [a, b, c].every((s) => s.core.store.annotations.get(created.id)?.label === 'PC avancé (B)'));
  }, 60_000);

  it('one unit assigned to two incidents on two seats: the hub keeps the first, withdraws the other and tells its author', async () => {
    await waitFor('the units on every seat', () => [a, b, c].every((s) => s.core.store.units.list().length === 2));
    cable.cut();
    await waitFor('C offline', () => c.sync.status().mode === 'offline');
    a.call('dispatch.assign', { incidentId: 'city:I4', unitId: 'avl:PM-1', reason: 'closest to I4' });
    await waitFor("A's assignment committed", () => a.sync.status().pending.length === 0);
    const mine = c.call<{ id: string }>('dispatch.assign', { incidentId: 'city:I3', unitId: 'avl:PM-1', reason: 'closest to I3' });
    expect(c.core.store.assignments.activeForUnit('avl:PM-1')?.incidentId).toBe('city:I3');
    cable.mend();
    await waitFor('C decided', () => c.sync.status().mode === 'online' && c.sync.status().pending.length === 0, 20_000);
    expect(c.sync.status().conflicts.find((x) => x.code === 'unit_taken')).toMatchObject({ details: { unitId: 'avl:PM-1', incidentId: 'city:I4', by: 'alice' } });
    await waitFor('PM 1 on I4 everywhere', () => [a, b, c].every((s) => s.core.store.assignments.activeForUnit('avl:PM-1')?.incidentId === 'city:I4'));
    expect(c.core.store.assignments.get(mine.id)?.status).toBe('cleared');
    expect(a.core.store.assignments.get(mine.id)).toBeNull();
    // I3 is back to what the hub holds: acknowledged, not dispatched.
    expect(status(c, 'city:I3')).toBe('acknowledged');
    // The unit's own feed moves its assignment forward once, at the hub, for every seat.
    const t = Date.now();
    units.setBody(['id,callsign,type,lon,lat,t,status', `PM-1,PM 1,vehicle,5.377,43.2999,${t},sur place`, `PM-2,PM 2,vehicle,5.385,43.305,${t},disponible`].join('\n'));
    await waitFor('PM 1 on scene on every seat', () => [a, b, c].every((s) => s.core.store.assignments.activeForUnit('avl:PM-1')?.status === 'on_scene' && status(s, 'city:I4') === 'on_scene'));
    const moves = (a.core.store.db.prepare("SELECT count(*) AS n FROM events WHERE entity = 'city:I4' AND kind = 'incident.unit.on_scene'").get() as { n: number }).n;
    expect(moves).toBe(1);
  }, 60_000);

  const BURST = 200;
  it('the hub killed with SIGKILL mid-burst loses no acknowledged action, and the seats resume', async () => {
    const before = a.sync.status().cursor;
    for (let i = 0; i < BURST; i++) a.call('incidents.addNote', { id: 'city:I4', text: `note ${i}` });
    // Kill it while the burst is being decided.
    await waitFor('some of the burst acknowledged', () => a.sync.status().pending.length < BURST, 10_000);
    await hub.stop('SIGKILL');
    const pendingAtKill = a.sync.status().pending.length;
    console.info(`[hub test] SIGKILL with ${pendingAtKill} of ${BURST} notes still undecided`);
    const acked = (a.core.store.db.prepare("SELECT uid FROM sync_outbox WHERE status = 'acked'").all() as { uid: string }[]).map((r) => r.uid);
    const client = new pg.Client(cluster.url);
    await client.connect();
    const stored = new Set((await client.query<{ uid: string }>('SELECT uid FROM hub_log WHERE uid IS NOT NULL')).rows.map((r) => r.uid));
    for (const uid of acked) expect(stored.has(uid)).toBe(true);

    hub = await startHubProcess(hubArgs);
    cable.retarget(hubPort);
    await waitFor('every note decided after the restart', () => a.sync.status().pending.length === 0, 30_000);
    const notes = (await client.query<{ n: string }>("SELECT count(*) AS n FROM hub_log WHERE body->'op'->>'method' = 'incidents.addNote' AND body->'op'->'params'->>'id' = 'city:I4'")).rows[0]!.n;
    expect(Number(notes)).toBe(BURST);
    await client.end();
    await waitFor('every note in B and C', () => [b, c].every((s) => (s.core.store.db.prepare("SELECT count(*) AS n FROM events WHERE entity = 'city:I4' AND kind = 'incident.note'").get() as { n: number }).n === BURST), 20_000);
    expect(a.sync.status().cursor).toBeGreaterThan(before);
    b.call('incidents.setPriority', { id: 'city:I4', priority: 1, reason: 'after the restart' });
    await waitFor('the priority on A and C', () => a.core.store.incidents.get('city:I4')?.priority === 1 && c.core.store.incidents.get('city:I4')?.priority === 1);
  }, 90_000);

  it('a workstation with a wrong secret, or none, is refused', async () => {
    const intruder = startSeat(path.join(dir, 'x'), { urls: [hub.url], workstation: 'ws-b', secret: 'not-the-secret', user: 'mallory' });
    try {
      await waitFor('the refusal', () => /refused this workstation \(HTTP 401\)/.test(intruder.sync.status().lastError ?? ''));
      expect(intruder.sync.status().mode).toBe('offline');
      expect(intruder.core.store.incidents.get('city:I1')).toBeNull();
    } finally {
      await intruder.close();
    }
    const anonymous = await new Promise<number>((resolve) => {
      const ws = new WebSocket(hub.url);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(anonymous).toBe(401);
  });

  it('an authenticated seat sending actions the hub cannot read, or in another seat’s name, is refused and the hub goes on', async () => {
    const ws = new WebSocket(hub.url, { headers: { 'x-vigie-workstation': 'ws-x', authorization: `Bearer ${secrets['ws-x']}` } });
    const rejections: { uid: string; code: string; message: string }[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { t: string; rejection?: { uid: string; code: string; message: string } };
      if (m.t === 'rejected') rejections.push(m.rejection!);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ t: 'hello', cursor: 1e12 }));
    const op = { user: 'x', role: 'supervisor', t: Date.now(), params: { id: 'city:I1' } };
    ws.send(JSON.stringify({ t: 'op', op: { ...op, uid: 'ws-x:1', method: 'settings.set' } }));
    ws.send(JSON.stringify({ t: 'op', op: { ...op, uid: 'ws-a:forged', method: 'incidents.close' } }));
    ws.send(JSON.stringify({ t: 'op', op: { ...op, uid: 'ws-x:2', method: 'incidents.setPriority', params: { id: 'city:I1', priority: 9 } } }));
    await waitFor('three refusals', () => rejections.length === 3);
    expect(rejections.map((r) => r.uid)).toEqual(['ws-x:1', 'ws-a:forged', 'ws-x:2']);
    expect(rejections.every((r) => r.code === 'refused')).toBe(true);
    expect(rejections[1]!.message).toMatch(/must start with "ws-x:"/);
    ws.close();
    a.call('incidents.setPriority', { id: 'city:I1', priority: 4, reason: 'still running' });
    await waitFor('the hub still deciding', () => b.core.store.incidents.get('city:I1')?.priority === 4);
  });

  it('a workstation configured in its config.json joins the same way, with no demo of its own', async () => {
    const profile = path.join(dir, 'd');
    fs.mkdirSync(profile);
    fs.writeFileSync(path.join(profile, 'hub.secret'), secrets['ws-d']!, { mode: 0o600 });
    fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ hub: { urls: [hub.url], workstation: 'ws-d', secretFile: 'hub.secret' } }));
    const core = new VigieCore(profile, { profileDir: profile, policyFile: path.join(profile, 'none.json'), hub: hubLinkFromConfig({ config: loadProfileConfig(profile), profileDir: profile })! });
    const sync = core.sync!;
    core.start();
    try {
      expect(core.demoRunning).toBe(false);
      await waitFor('the picture of the room on D', () => core.store.incidents.get('city:I2')?.status === 'closed' && core.store.incidents.get('city:I1')?.priority === 4);
      expect(sync.status()).toMatchObject({ mode: 'online', workstation: 'ws-d', pending: [] });
    } finally {
      await core.close();
    }
  });
});
