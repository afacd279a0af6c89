import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../../common/contract';
import type { Role } from '../../../common/domain/roles';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../../test/helpers';
import { dispatch, type CallContext } from '../rpc';
import { addHubUser, addWorkstation } from './credentials';
import { freePort, NO_POSTGRES, postgresBinDir, startPgCluster, type PgCluster } from './pgCluster';
import { REPLICATED_METHODS } from './replicate';
import { startHubProcess, startSeat, waitFor, type HubProcess, type Seat } from './testing';

const havePg = postgresBinDir() !== null;
if (!havePg) console.warn(`[skip] replication declaration tests: ${NO_POSTGRES}`);

const writeMethods = (Object.keys(contract) as MethodName[]).filter((m) => contract[m].writes);
const declared = (m: MethodName) => contract[m].replicates;

/** What the test remembers between calls (the assignment, annotation, bookmark… a later call needs). */
type Memory = Record<string, unknown>;

/**
 * How to call each write method on a seat so that it succeeds there, in an order where each finds
 * what it needs. A write method added to the contract without a line here fails the first test.
 * `refused`: the seat itself refuses it (a live seat is no training sandbox); it still must not reach the hub.
 */
const CALLS: { method: MethodName; params: (m: Memory, seat: Seat) => unknown; keep?: (result: unknown, m: Memory) => void; refused?: RegExp }[] = [
  { method: 'incidents.create', params: () => ({ category: 'public_order', priority: 2, title: 'Radio report: fight at the metro exit', lon: 5.3811, lat: 43.2965 }) },
  { method: 'incidents.acknowledge', params: () => ({ id: 'city:R1' }) },
  { method: 'incidents.setPriority', params: () => ({ id: 'city:R1', priority: 1, reason: 'crowd growing' }) },
  { method: 'incidents.addNote', params: () => ({ id: 'city:R1', text: 'second call from the same address' }) },
  { method: 'incidents.attach', params: () => ({ id: 'city:R1', attachment: { kind: 'link', url: 'https://example.org/report', label: 'report' } }) },
  { method: 'incidents.merge', params: () => ({ id: 'city:R2', into: 'city:R1', reason: 'same fight' }) },
  { method: 'incidents.close', params: () => ({ id: 'city:R3', reason: 'handled' }) },
  { method: 'incidents.reopen', params: () => ({ id: 'city:R3', reason: 'they came back' }) },
  {
    method: 'dispatch.assign',
    params: (_m, seat) => ({ incidentId: 'city:R1', unitId: seat.core.store.units.list(new Set()).find((u) => u.callsign === 'PM 1')!.id, reason: 'nearest' }),
    keep: (r, m) => (m.assignmentId = (r as { id: string }).id),
  },
  { method: 'dispatch.setStatus', params: (m) => ({ assignmentId: m.assignmentId, status: 'en_route' }) },
  { method: 'incidents.markOnScene', params: () => ({ id: 'city:R1' }) },
  {
    method: 'annotations.save',
    params: () => ({ fields: { shape: 'point', coordinates: [[5.37, 43.29]], label: 'PC', color: '#4da3ff', geofence: false } }),
    keep: (r, m) => (m.annotation = r),
  },
  {
    method: 'annotations.reshape',
    params: (m) => ({ id: (m.annotation as { id: string }).id, baseVersion: (m.annotation as { version: number }).version, geometry: { coordinates: [[5.371, 43.291]] } }),
  },
  { method: 'annotations.delete', params: (m) => ({ id: (m.annotation as { id: string }).id }) },
  { method: 'settings.set', params: () => ({ key: 'language', value: 'fr' }) },
  { method: 'feeds.save', params: (m) => ({ feed: { id: 'local', type: 'geojson', label: 'Local cameras', url: m.feedUrl, intervalSeconds: 60 } }) },
  { method: 'feeds.setPaused', params: () => ({ id: 'local', paused: true }) },
  { method: 'feeds.remove', params: () => ({ id: 'local' }) },
  { method: 'forecasts.runCheck', params: () => ({ horizonHours: 24 }) },
  { method: 'indicators.save', params: () => ({ indicators: [] }) },
  { method: 'indicators.acknowledge', params: (m) => ({ seq: m.alertSeq }) },
  { method: 'layers.record', params: () => ({ visible: ['incidents', 'units'], opacity: { incidents: 1 } }) },
  { method: 'replay.addBookmark', params: () => ({ at: Date.now() - 60_000, label: 'start of the fight' }), keep: (r, m) => (m.bookmark = (r as { id: string }).id) },
  { method: 'replay.removeBookmark', params: (m) => ({ id: m.bookmark }) },
  { method: 'signals.import', params: () => ({ feedId: 'social', body: JSON.stringify([{ kind: 'mentions', area: 'Noailles', start: Date.now() - 3_600_000, minutes: 60, count: 12 }]) }) },
  {
    method: 'calendar.import',
    params: () => ({ format: 'csv', body: `id,title,kind,start,end,lat,lon,attendance\nm1,Marché du Prado,market,${new Date(Date.now() + 86_400_000).toISOString()},${new Date(Date.now() + 90_000_000).toISOString()},43.27,5.39,1500` }),
  },
  {
    method: 'calendar.save',
    params: () => ({ fields: { title: 'Braderie', kind: 'market', start: Date.now() + 86_400_000, end: Date.now() + 100_000_000, place: { type: 'Point', coordinates: [5.38, 43.3] } } }),
    keep: (r, m) => (m.planned = (r as { id: string }).id),
  },
  { method: 'calendar.delete', params: (m) => ({ id: m.planned }) },
  // The P2 created by hand above raised an alarm on this seat: seen, acknowledged and closed there.
  { method: 'alarms.seen', params: (_m, seat) => ({ id: seat.core.alarms.list()[0]!.id }) },
  { method: 'alarms.ack', params: (_m, seat) => ({ id: seat.core.alarms.list()[0]!.id }) },
  { method: 'alarms.close', params: (_m, seat) => ({ id: seat.core.alarms.list()[0]!.id, reason: 'handled' }) },
  { method: 'handover.addEntry', params: () => ({ text: 'PM 1 back from the hospital at 22:00' }), keep: (r, m) => (m.handover = (r as { id: number }).id) },
  { method: 'handover.sign', params: (m) => ({ id: m.handover }) },
  { method: 'training.inject', params: () => ({ record: { kind: 'incident', id: 'T1' } }), refused: /not a training sandbox/ },
  { method: 'training.control', params: () => ({ action: 'pause' }), refused: /not a training sandbox/ },
  {
    method: 'media.markThirdParty',
    // A photo the report named, as a feed would have left it (the hub's test feed has none).
    params: (_m, seat) => {
      seat.core.store.media.setRefs('city:R1', 'city', [{ url: 'https://city.example/photo.jpg', type: 'image' }], Date.now());
      return { incidentId: 'city:R1', index: 0, thirdParty: true };
    },
  },
];

/**
 * Each write method of the contract declares where it takes effect on a workstation of a hub
 * (`replicates` in common/methods/). Checked against a real hub: a real PostgreSQL, a real
 * `vigie hub` process, two seats over loopback WebSockets. The hub's own log (hub_log in
 * PostgreSQL) is the witness: a 'hub' method's action is there, decided, and reaches the other
 * seat; a 'seat' method's never is, even after a later shared action from the same seat got there.
 */
describe.skipIf(!havePg)('every write method replicates as the contract declares', () => {
  let cluster: PgCluster;
  let feed: FeedServer;
  let units: FeedServer;
  let hub: HubProcess;
  let client: pg.Client;
  let dir: string;
  let a: Seat;
  let b: Seat;

  beforeAll(async () => {
    cluster = await startPgCluster();
    dir = tempDir('vigie-20-replicates-');
    feed = await startFeedServer(featureCollection(['R1', 'R2', 'R3', 'R4'].map((id) => incidentFeature(id))));
    const now = Date.now();
    units = await startFeedServer(['id,callsign,type,lon,lat,t,status', `PM-1,PM 1,vehicle,5.377,43.2999,${now},disponible`].join('\n'));
    const state = path.join(dir, 'hub');
    fs.mkdirSync(state);
    const avl = { id: 'avl', type: 'csv', label: 'AVL', url: units.url, intervalSeconds: 0.5, options: { kind: 'unit', timeFormat: 'epoch_ms', columns: { unitId: 'id', callsign: 'callsign', unitType: 'type', lon: 'lon', lat: 'lat', t: 't', status: 'status' } } };
    fs.writeFileSync(path.join(state, 'config.json'), JSON.stringify({ feeds: [{ id: 'city', type: 'geojson', label: 'City', url: feed.url, intervalSeconds: 0.5 }, avl], demo: false }));
    const credentials = path.join(dir, 'hub-credentials.json');
    const secrets = { 'ws-a': addWorkstation(credentials, 'ws-a'), 'ws-b': addWorkstation(credentials, 'ws-b') };
    addHubUser(credentials, 'alice', 'supervisor', ['ws-a']);
    addHubUser(credentials, 'bruno', 'supervisor', ['ws-b']);
    const port = await freePort();
    hub = await startHubProcess(['--pg', cluster.url, '--port', String(port), '--state', state, '--credentials', credentials, '--no-demo']);
    // Seat A counts social signals of its own (imported by hand), as a desk configured for it does.
    fs.mkdirSync(path.join(dir, 'a'));
    fs.writeFileSync(path.join(dir, 'a', 'config.json'), JSON.stringify({ signals: [{ id: 'social', k: 10, areas: ['Noailles'] }] }));
    a = startSeat(path.join(dir, 'a'), { urls: [hub.url], workstation: 'ws-a', secret: secrets['ws-a'], user: 'alice' });
    b = startSeat(path.join(dir, 'b'), { urls: [hub.url], workstation: 'ws-b', secret: secrets['ws-b'], user: 'bruno' });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await waitFor('both seats online with the incidents and the unit', () => [a, b].every((s) => s.sync.status().mode === 'online' && s.core.store.incidents.get('city:R4') !== null && s.core.store.units.list(new Set()).some((u) => u.callsign === 'PM 1')), 30_000);
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await Promise.all([a, b].filter(Boolean).map((s) => s.close()));
    await hub?.stop('SIGKILL');
    await feed?.close();
    await units?.close();
    cluster?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** The actions the hub decided and logged from seat A: method and hub sequence. */
  const hubOps = async () =>
    (await client.query<{ seq: string; method: string; uid: string }>("SELECT seq, body->'op'->>'method' AS method, uid FROM hub_log WHERE kind = 'op' AND origin = 'ws-a' ORDER BY seq")).rows;
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 15_000) => {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('declares every write method once, and the hub-replicated list is the contract\'s', () => {
    expect(CALLS.map((c) => c.method).sort()).toEqual([...writeMethods].sort());
    for (const m of writeMethods) expect(['hub', 'seat'], m).toContain(declared(m));
    expect([...REPLICATED_METHODS].sort()).toEqual(writeMethods.filter((m) => declared(m) === 'hub').sort());
    // Calendar and indicator writes stay on their seat: said in the contract, not silent.
    expect(['calendar.import', 'calendar.save', 'calendar.delete', 'indicators.save', 'indicators.acknowledge'].map((m) => declared(m as MethodName))).toEqual(Array(5).fill('seat'));
    // An alarm is the attention of the people at one desk; the shared act is on the incident itself (docs/supervisor.md).
    expect(['alarms.seen', 'alarms.ack', 'alarms.close'].map((m) => declared(m as MethodName))).toEqual(Array(3).fill('seat'));
  });

  it('a hub method reaches the hub and the other seat; a seat method stays on its seat', async () => {
    const memory: Memory = { feedUrl: feed.url };
    // An indicator alert raised on seat A, for its supervisor to acknowledge.
    memory.alertSeq = a.core.store.transaction(() =>
      a.core.store.log.append({ t: Date.now(), source: 'indicators', kind: 'indicator.alert', entity: 'indicator:test:Noailles', payload: { indicatorId: 'test', label: 'Test', district: 'Noailles', window: 'hour', count: 12, usual: 2, sheet: 'test' } }).seq,
    )();
    const outcomes: string[] = [];
    let id = 0;
    for (const call of CALLS) {
      const spec = contract[call.method];
      const role: Role = spec.roles.includes('supervisor') ? 'supervisor' : spec.roles[0]!;
      const ctx: CallContext = { user: 'alice', role, origin: 'test:ws-a' };
      const before = (await hubOps()).length;
      const reply = (await dispatch(a.core.api, { t: 'req', id: ++id, method: call.method, params: call.params(memory, a) }, ctx, a.core.dispatchHooks)) as { ok: boolean; result?: unknown; error?: { message: string } };
      if (call.refused) expect(reply.error?.message, call.method).toMatch(call.refused);
      else expect(reply.ok ? 'ok' : reply.error?.message, call.method).toBe('ok');
      if (reply.ok) call.keep?.(reply.result, memory);
      const queued = a.sync.status().pending.some((p) => p.method === call.method);
      if (declared(call.method) === 'hub') {
        expect(queued || (await hubOps()).length > before, `${call.method} queued for the hub`).toBe(true);
        await until(`${call.method} decided by the hub`, async () => (await hubOps()).slice(before).some((o) => o.method === call.method));
        const seq = Number((await hubOps()).find((o, i) => i >= before && o.method === call.method)!.seq);
        await waitFor(`${call.method} relayed to seat B`, () => b.sync.status().cursor >= seq);
        expect(a.sync.status().conflicts.map((c) => c.message), call.method).toEqual([]);
      } else {
        expect(queued, `${call.method} queued for the hub`).toBe(false);
        // A shared action made after it arrives at the hub; had this one been sent, it would be there first.
        const marker = (await dispatch(a.core.api, { t: 'req', id: ++id, method: 'incidents.addNote', params: { id: 'city:R4', text: `after ${call.method}` } }, { ...ctx, role: 'supervisor' })) as { ok: boolean };
        expect(marker.ok).toBe(true);
        await until(`the note after ${call.method} at the hub`, async () => (await hubOps()).length > before);
        expect((await hubOps()).slice(before).map((o) => o.method), call.method).toEqual(['incidents.addNote']);
      }
      outcomes.push(`${call.method}: ${declared(call.method)}`);
    }
    expect(outcomes).toHaveLength(writeMethods.length);
  }, 120_000);
});
