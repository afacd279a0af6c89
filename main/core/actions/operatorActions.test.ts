import { describe, expect, it } from 'vitest';
import { EventBus } from '../bus';
import { geojsonAdapter } from '../feeds/geojson';
import { storeAndPublish } from '../feeds/scheduler';
import { Store } from '../store';
import type { CallContext } from '../rpc';
import { followUnitFeeds } from '../dispatch/unitFeedProgress';
import { OperatorActions } from './operatorActions';
import { AnnotationService } from '../annotations/annotations';
import { incidentsAt } from '../replay/stateAt';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const VIEUX_PORT: [number, number] = [5.3747, 43.2951];

function setup() {
  const store = Store.open(tempDir());
  const bus = new EventBus();
  const actions = new OperatorActions(store, bus);
  followUnitFeeds(store, bus, actions);
  const pushed: { event: string; payload: unknown }[] = [];
  bus.subscribe((event, payload) => pushed.push({ event, payload }));
  const feedIncidents = (features: unknown[]) =>
    storeAndPublish({ store, bus }, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection(features), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: Date.now() }), Date.now());
  const feedUnits = (units: { id: string; lon: number; lat: number; status?: string; type?: 'vehicle' | 'person' | 'transit'; t?: number }[]) =>
    storeAndPublish(
      { store, bus },
      { id: 'avl', simulated: false },
      { records: units.map((u) => ({ kind: 'unit' as const, unitId: u.id, callsign: u.id.replace('-', ' '), unitType: u.type ?? 'vehicle', lon: u.lon, lat: u.lat, t: u.t ?? Date.now(), ...(u.status ? { status: u.status } : {}) })), errors: [] },
      Date.now(),
    );
  return { store, bus, actions, pushed, feedIncidents, feedUnits };
}

describe('incident lifecycle as operator actions', () => {
  it('logs each transition with who, from, to and why, journals it, and pushes the new state', () => {
    const { store, actions, pushed, feedIncidents } = setup();
    feedIncidents([incidentFeature('A', {}, VIEUX_PORT)]);
    pushed.length = 0;
    const acked = actions.acknowledge(supervisor, 'city:A');
    expect(acked).toMatchObject({ status: 'acknowledged', operatorOwned: true });
    expect(acked.acknowledgedAt).toBeTypeOf('number');
    actions.setPriority(supervisor, 'city:A', 1, 'weapon seen by caller');
    actions.close(supervisor, 'city:A', 'handled on the phone');
    const closed = store.incidents.get('city:A')!;
    expect(closed).toMatchObject({ status: 'closed', priority: 1 });
    expect(pushed.filter((p) => p.event === 'incident.changed').map((p) => (p.payload as { incident: { status: string } }).incident.status)).toEqual(['acknowledged', 'acknowledged', 'closed']);

    const history = actions.history(supervisor, 'city:A');
    expect(history.map((h) => h.kind)).toEqual(['incident.upsert', 'incident.acknowledge', 'incident.priority', 'incident.close']);
    expect(history[3]!.payload).toMatchObject({ by: 'jdupont', role: 'supervisor', from: 'acknowledged', to: 'closed', reason: 'handled on the phone' });
    expect(history[2]!.payload).toMatchObject({ fromPriority: 2, toPriority: 1, reason: 'weapon seen by caller' });
    const journal = store.audit.list({ target: 'city:A', limit: 10 }).reverse();
    expect(journal.map((j) => `${j.kind}:${j.action}`)).toEqual(['action:incident.acknowledge', 'action:incident.priority', 'action:incident.close', 'consultation:incident.open']);
    store.close();
  });

  it('refuses a transition the current state does not allow, and loses nothing', () => {
    const { store, actions, feedIncidents } = setup();
    feedIncidents([incidentFeature('A')]);
    actions.close(supervisor, 'city:A');
    const events = (store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    expect(() => actions.close(supervisor, 'city:A')).toThrow(/already closed/);
    expect(() => actions.acknowledge(supervisor, 'city:A')).toThrow(/already closed/);
    expect(() => actions.acknowledge(supervisor, 'city:NOPE')).toThrow(/No incident city:NOPE/);
    expect((store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(events);
    // The log's sequence survived the rollbacks: the next action still appends.
    expect(actions.reopen(supervisor, 'city:A', 'caller rang again')).toMatchObject({ status: 'acknowledged' });
    store.close();
  });

  it("a feed that still says \"new\" never undoes a supervisor's close, but its news still shows", () => {
    const { store, actions, feedIncidents } = setup();
    feedIncidents([incidentFeature('A', { title: 'Rixe' })]);
    actions.close(supervisor, 'city:A', 'duplicate of a phone call');
    const seqAfterClose = store.incidents.get('city:A')!.seq;
    // The same record again: nothing new, nothing stored.
    expect(feedIncidents([incidentFeature('A', { title: 'Rixe' })]).unchanged).toBe(1);
    expect(store.incidents.get('city:A')!.seq).toBe(seqAfterClose);
    // The feed changes its title and raises the priority: the title follows, status and priority stay the operator's.
    const outcome = feedIncidents([incidentFeature('A', { title: 'Rixe, 3 personnes', priority: 1, status: 'acknowledged' })]);
    expect(outcome.changedIncidents[0]).toMatchObject({ status: 'closed', priority: 2, title: 'Rixe, 3 personnes', feedStatus: 'acknowledged', feedPriority: 1 });
    expect(store.incidents.get('city:A')).toMatchObject({ status: 'closed', title: 'Rixe, 3 personnes' });
    store.close();
  });

  it('merges a duplicate into the incident it duplicates', () => {
    const { store, actions, feedIncidents } = setup();
    feedIncidents([incidentFeature('A'), incidentFeature('B')]);
    expect(() => actions.merge(supervisor, 'city:B', 'city:B')).toThrow(/itself/);
    const merged = actions.merge(supervisor, 'city:B', 'city:A', 'same fight, second caller');
    expect(merged).toMatchObject({ status: 'closed', mergedInto: 'city:A' });
    expect(store.incidents.get('city:A')!.status).toBe('new');
    store.close();
  });

  it('notes and attachments by reference go to the log; a link must be http(s)', () => {
    const { store, actions, feedIncidents } = setup();
    feedIncidents([incidentFeature('A')]);
    actions.addNote(supervisor, 'city:A', 'Caller calls back in 5 min');
    actions.attach(supervisor, 'city:A', { kind: 'link', url: 'https://intranet.example/report/42' });
    expect(() => actions.attach(supervisor, 'city:A', { kind: 'camera', cameraId: 'cams:NOPE' })).toThrow(/No camera/);
    expect(actions.history(supervisor, 'city:A').map((h) => h.kind)).toEqual(['incident.upsert', 'incident.note', 'incident.attach']);
    store.close();
  });
});

describe('dispatch with explained recommendations', () => {
  const near = { lon: 5.3755, lat: 43.2955 }; // ≈ 80 m from the Vieux-Port
  const far = { lon: 5.4, lat: 43.31 }; // ≈ 2.6 km

  it('ranks available units by ETA with their reasons, leaves buses out, and puts busy and assigned units after', () => {
    const { store, actions, feedIncidents, feedUnits } = setup();
    feedIncidents([incidentFeature('A', { category: 'fire' }, VIEUX_PORT), incidentFeature('B', {}, VIEUX_PORT)]);
    feedUnits([
      { id: 'PM-1', ...far, status: 'available' },
      { id: 'PED-1', ...near, type: 'person' },
      { id: 'PM-2', ...near, status: 'en_route' },
      { id: 'BUS-83', ...near, type: 'transit' },
      { id: 'PM-3', ...far, t: Date.now() - 20 * 60_000 },
    ]);
    const ranking = actions.recommend(supervisor, 'city:A');
    expect(ranking.model).toBe('straight-line-v1');
    expect(ranking.units.map((u) => [u.callsign, u.availability, u.capability, u.assignable])).toEqual([
      ['PED 1', 'available', 'partial', true], // 80 m on foot, even at ×1.5 for a fire, beats 2.6 km by car
      ['PM 1', 'available', 'match', true],
      ['PM 2', 'busy', 'match', true],
      ['PM 3', 'stale', 'match', false],
    ]);
    const pm1 = ranking.units[1]!;
    expect(pm1.distanceM).toBeGreaterThan(2400);
    expect(pm1.distanceM).toBeLessThan(2800);
    expect(pm1.etaS).toBe(Math.round(60 + (pm1.distanceM * 1.4) / 8.3));
    store.close();
  });

  it('overriding the first recommendation needs a reason, which is logged; a unit cannot take two incidents', () => {
    const { store, actions, feedIncidents, feedUnits } = setup();
    feedIncidents([incidentFeature('A', {}, VIEUX_PORT), incidentFeature('B', {}, VIEUX_PORT)]);
    feedUnits([{ id: 'PM-1', ...near }, { id: 'PM-2', ...far }]);
    expect(() => actions.assign(supervisor, 'city:A', 'avl:PM-2')).toThrow(/not the recommended unit \(PM 1 is first\): give a reason/);
    const a = actions.assign(supervisor, 'city:A', 'avl:PM-2', 'PM 1 is on a break');
    expect(a).toMatchObject({ status: 'assigned', rank: 2, recommendedUnitId: 'avl:PM-1', overrideReason: 'PM 1 is on a break' });
    const incident = store.incidents.get('city:A')!;
    expect(incident).toMatchObject({ status: 'dispatched' });
    expect(incident.dispatchedAt).toBeTypeOf('number');
    expect(store.audit.list({ target: 'city:A', limit: 5 })[0]).toMatchObject({ action: 'incident.dispatch', reason: 'PM 1 is on a break' });
    // PM 2 is now taken: it is listed for B as assigned to A, and cannot be assigned.
    const forB = actions.recommend(supervisor, 'city:B');
    expect(forB.units.find((u) => u.unitId === 'avl:PM-2')).toMatchObject({ availability: 'assigned', assignedIncidentId: 'city:A', assignable: false });
    expect(() => actions.assign(supervisor, 'city:B', 'avl:PM-2', 'try')).toThrow(/already assigned to city:A/);
    // Closing releases it; it never acknowledged, and its record says so.
    actions.close(supervisor, 'city:A', 'false alarm');
    expect(store.assignments.get(a.id)).toMatchObject({ status: 'cleared' });
    expect(store.assignments.get(a.id)!.acknowledgedAt).toBeUndefined();
    expect(actions.assign(supervisor, 'city:B', 'avl:PM-2', 'closest free now')).toMatchObject({ status: 'assigned' });
    store.close();
  });

  it("follows the unit's own feed: acknowledged, en route, on scene; closing clears it", () => {
    const { store, actions, pushed, feedIncidents, feedUnits } = setup();
    feedIncidents([incidentFeature('A', {}, VIEUX_PORT)]);
    feedUnits([{ id: 'PM-1', ...near, status: 'available' }]);
    const a = actions.assign(supervisor, 'city:A', 'avl:PM-1');
    // The feed has not caught up: "available" right after the assignment does not clear it.
    feedUnits([{ id: 'PM-1', ...near, status: 'available', t: Date.now() + 1 }]);
    expect(store.assignments.get(a.id)!.status).toBe('assigned');
    feedUnits([{ id: 'PM-1', ...near, status: 'acquitté', t: Date.now() + 2 }]);
    expect(store.assignments.get(a.id)).toMatchObject({ status: 'acknowledged' });
    feedUnits([{ id: 'PM-1', ...near, status: 'sur place', t: Date.now() + 3 }]);
    const onScene = store.assignments.get(a.id)!;
    expect(onScene).toMatchObject({ status: 'on_scene' });
    expect(onScene.enRouteAt).toBe(onScene.onSceneAt); // skipped step: same time
    expect(store.incidents.get('city:A')).toMatchObject({ status: 'on_scene' });
    expect(store.incidents.get('city:A')!.onSceneAt).toBeTypeOf('number');
    expect(store.audit.list({ target: 'city:A', limit: 10 }).some((j) => j.user === 'feed:avl' && j.action === 'incident.unit.acknowledged')).toBe(true);
    actions.close(supervisor, 'city:A', 'done');
    expect(store.assignments.get(a.id)).toMatchObject({ status: 'cleared' });
    expect(store.assignments.get(a.id)!.clearedAt).toBeGreaterThanOrEqual(onScene.onSceneAt!);
    expect(pushed.filter((p) => p.event === 'assignment.changed').map((p) => (p.payload as { assignment: { status: string } }).assignment.status)).toEqual(['assigned', 'acknowledged', 'on_scene', 'cleared']);
    expect(actions.recommend(supervisor, 'city:A').units[0]).toMatchObject({ callsign: 'PM 1', availability: 'busy' }); // its feed still says "sur place"
    store.close();
  });
});

describe('an incident created by hand (call or radio report)', () => {
  it('raises the geofence alarm, is ranked and dispatched like a feed incident, and replays from the log', () => {
    const { store, bus, actions, feedUnits } = setup();
    const fences = new AnnotationService(store, bus);
    fences.watch();
    const alarms: string[] = [];
    bus.subscribe((event, payload) => event === 'geofence.alert' && alarms.push((payload as { alert: { kind: string; subject: string } }).alert.subject));
    fences.save(supervisor, undefined, { shape: 'circle', coordinates: [VIEUX_PORT], radiusM: 300, label: 'Vieux-Port', color: '#ff3b30', geofence: true });
    feedUnits([{ id: 'PM-1', lon: 5.3755, lat: 43.2955, status: 'available' }]);

    const created = actions.create({ user: 'amartin', role: 'operator', origin: 'test' }, { category: 'assault', priority: 1, title: 'Rixe quai des Belges', notes: 'Appel 17', lon: VIEUX_PORT[0], lat: VIEUX_PORT[1], address: 'Quai des Belges' });
    expect(alarms).toEqual(['Rixe quai des Belges']);
    const ranking = actions.recommend(supervisor, created.id);
    expect(ranking.units.map((u) => [u.callsign, u.assignable])).toEqual([['PM 1', true]]);
    actions.assign(supervisor, created.id, 'avl:PM-1');
    expect(store.incidents.get(created.id)).toMatchObject({ status: 'dispatched', feedId: 'manual', description: 'Appel 17' });
    // Replay rebuilds it from the log as it stood (the projection is not the source).
    expect(incidentsAt(store, Date.now()).find((i) => i.id === created.id)).toMatchObject({ title: 'Rixe quai des Belges', status: 'dispatched', priority: 1 });
    store.close();
  });
});
