import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alarm } from '../../../common/domain/alarm';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { tempDir } from '../../../test/helpers';
import { TestClock } from '../../../test/clock';
import { districtOf } from '../indicators/districts';
import fs from 'node:fs';
import path from 'node:path';
import { insidePolygon } from '../../../common/geo/distance';
import { buildCityPack } from '../city/packBuild';

const as = (role: CallContext['role'], user = `${role}.user`): CallContext => ({ user, role, origin: 'test' });

// A city pack of two districts, built by `vigie pack build` as IT would; one place in each.
const square = (name: string, [w, s, e, n]: number[]) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } });
const DISTRICTS = [square('Vieux-Port', [5.366, 43.29, 5.38, 43.3]), square('Saint-Barthélemy', [5.38, 43.33, 5.4, 43.36])];
const VIEUX_PORT: [number, number] = [5.3698, 43.2951];
const NORTH: [number, number] = [5.3862, 43.3489];

describe('the alarm queue', () => {
  let core: VigieCore;
  let clock: TestClock;
  let id = 0;
  const call = async (method: string, params: unknown, ctx: CallContext = as('operator')) =>
    (await dispatch(core.api, { t: 'req', id: ++id, method, params }, ctx, core.dispatchHooks)) as { ok: boolean; result?: unknown; error?: { code: string; message: string } };
  const createIncident = async (priority: number, [lon, lat]: [number, number], title = `Fight number ${id}`) => {
    const reply = await call('incidents.create', { category: 'public_order', priority, title, lon, lat });
    expect(reply.ok, reply.error?.message).toBe(true);
    return reply.result as { id: string };
  };
  const alarms = async () => ((await call('alarms.list', {})).result as { alarms: Alarm[] }).alarms;

  beforeEach(() => {
    clock = new TestClock();
    const profile = tempDir();
    const districts = path.join(tempDir(), 'districts.geojson');
    fs.writeFileSync(districts, JSON.stringify({ type: 'FeatureCollection', features: DISTRICTS }));
    buildCityPack({ out: path.join(profile, 'pack'), id: 'test', name: 'Marseille (test)', districts, attribution: [] });
    fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ cityPack: 'pack' }));
    core = new VigieCore(profile, { profileDir: profile, demo: false, clock });
    core.start();
  });
  afterEach(async () => {
    await core.close();
  });

  it('groups a burst of the same kind in the same district within the window into one alarm with a count and its members', async () => {
    const districts = core.indicators.districts();
    // An independent check that the two places lie in two different districts of the pack.
    const inVieuxPort = districts.find((d) => d.rings.some((r) => insidePolygon(VIEUX_PORT[0], VIEUX_PORT[1], r)))!;
    expect(inVieuxPort.name).toBe('Vieux-Port');
    expect(districtOf(districts, ...NORTH)?.name).toBe('Saint-Barthélemy');

    for (let i = 0; i < 4; i++) {
      await createIncident(2, VIEUX_PORT, `Fight at the quay ${i}`);
      clock.advance(20_000);
    }
    await createIncident(1, NORTH, 'Fire in a flat');
    // Same district, but 3 minutes after the group's last member: a new alarm.
    clock.advance(180_000);
    await createIncident(2, VIEUX_PORT, 'Late fight at the quay');
    // P3 and P4 are not alarms.
    await createIncident(3, VIEUX_PORT, 'Noise');

    const list = await alarms();
    expect(list).toHaveLength(3);
    const burst = list.find((a) => a.count > 1)!;
    expect(burst).toMatchObject({ kind: 'incident', district: inVieuxPort.name, count: 4, priority: 2 });
    expect(burst.members.map((m) => m.title)).toEqual([3, 2, 1, 0].map((i) => `Fight at the quay ${i}`));
    expect(list.filter((a) => a.count === 1).map((a) => [a.priority, a.members[0]!.title])).toEqual([
      [1, 'Fire in a flat'],
      [2, 'Late fight at the quay'],
    ]);
  });

  it('escalates an unacknowledged alarm on the clock (louder at 30 s, the supervisor at 120 s), and acknowledging stops it', async () => {
    const raised: Alarm[] = [];
    core.bus.subscribe((event, payload) => event === 'alarm.changed' && raised.push((payload as { alarm: Alarm }).alarm));
    await createIncident(1, VIEUX_PORT, 'Stabbing on the quay');
    await createIncident(1, NORTH, 'Fire in a flat');
    const [stabbing, fire] = await alarms();
    expect([stabbing!.level, fire!.level]).toEqual([0, 0]);

    clock.advance(29_000);
    expect((await alarms()).map((a) => a.level)).toEqual([0, 0]);
    // The operator acknowledges the fire before it escalates; the stabbing is left.
    expect((await call('alarms.ack', { id: fire!.id })).ok).toBe(true);
    clock.advance(1_000);
    expect((await alarms()).map((a) => [a.title, a.level])).toEqual([['Stabbing on the quay', 1], ['Fire in a flat', 0]]);
    clock.advance(90_000);
    expect((await alarms()).map((a) => a.level)).toEqual([2, 0]);
    // Each escalation was pushed to the desks.
    expect(raised.filter((a) => a.id === stabbing!.id).map((a) => a.level)).toEqual([0, 1, 2]);
  });

  it('journals every transition with who and when, refuses a second acknowledgement, and keeps a closed alarm out of the queue', async () => {
    await createIncident(1, VIEUX_PORT, 'Stabbing on the quay');
    const [alarm] = await alarms();
    clock.advance(5_000);
    expect(await call('alarms.seen', { id: alarm!.id }, as('operator', 'olivia'))).toMatchObject({ ok: true, result: { state: 'seen', seenBy: 'olivia', seenAt: clock.now() } });
    clock.advance(5_000);
    expect(await call('alarms.ack', { id: alarm!.id }, as('operator', 'olivia'))).toMatchObject({ ok: true, result: { state: 'acknowledged', acknowledgedBy: 'olivia', acknowledgedAt: clock.now() } });
    expect(await call('alarms.ack', { id: alarm!.id }, as('supervisor', 'sam'))).toMatchObject({ ok: false, error: { message: `Alarm ${alarm!.id} was already acknowledged by olivia.` } });
    clock.advance(5_000);
    expect(await call('alarms.close', { id: alarm!.id, reason: 'unit on scene' }, as('supervisor', 'sam'))).toMatchObject({ ok: true, result: { state: 'closed', closedBy: 'sam' } });
    expect(await alarms()).toEqual([]);
    expect(((await call('alarms.list', { includeClosed: true })).result as { alarms: Alarm[] }).alarms.map((a) => a.state)).toEqual(['closed']);

    const journal = core.store.audit.list({ limit: 20 }).filter((e) => e.action.startsWith('alarm.')).reverse();
    expect(journal.map((e) => [e.action, e.user, e.role, e.target, e.reason ?? null])).toEqual([
      ['alarm.seen', 'olivia', 'operator', `alarm:${alarm!.id} incident@${alarm!.district} ×1`, null],
      ['alarm.acknowledge', 'olivia', 'operator', `alarm:${alarm!.id} incident@${alarm!.district} ×1`, null],
      ['alarm.close', 'sam', 'supervisor', `alarm:${alarm!.id} incident@${alarm!.district} ×1`, 'unit on scene'],
    ]);
    // The chain still verifies with the new rows in it.
    expect(core.store.audit.verify()).toMatchObject({ ok: true });
  });

  it('lets operators and supervisors act, and refuses the auditor and the admin (journaled as refused)', async () => {
    await createIncident(2, VIEUX_PORT);
    const [alarm] = await alarms();
    for (const role of ['auditor', 'admin'] as const) {
      expect(await call('alarms.ack', { id: alarm!.id }, as(role))).toMatchObject({ ok: false, error: { code: 'forbidden', message: `alarms.ack is not allowed for the role "${role}" (allowed: operator, supervisor, trainer).` } });
    }
    expect(await call('alarms.list', {}, as('auditor'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(core.store.audit.list({ limit: 5 }).filter((e) => e.action === 'refused').map((e) => [e.role, e.target])).toEqual([
      ['auditor', 'alarms.list'],
      ['admin', 'alarms.ack'],
      ['auditor', 'alarms.ack'],
    ]);
    expect((await call('alarms.ack', { id: alarm!.id }, as('supervisor'))).ok).toBe(true);
  });

  it('rings once per incident: a feed re-sending it, or a note on it, raises nothing new; a P2 raised to P1 rings as a P1', async () => {
    const incident = await createIncident(2, NORTH, 'Break-in');
    expect((await call('incidents.addNote', { id: incident.id, text: 'neighbour called again' })).ok).toBe(true);
    expect((await alarms()).map((a) => a.count)).toEqual([1]);
    clock.advance(600_000);
    expect((await call('incidents.setPriority', { id: incident.id, priority: 1, reason: 'someone inside' }, as('supervisor'))).ok).toBe(true);
    expect((await alarms()).map((a) => [a.priority, a.members[0]!.title])).toEqual([[2, 'Break-in'], [1, 'Break-in']]);
  });

  it('answers an incident alarm once every incident in it is closed, and keeps a group while one of its incidents is still open', async () => {
    const first = await createIncident(2, VIEUX_PORT, 'Fight at the quay');
    const second = await createIncident(2, VIEUX_PORT, 'Second fight at the quay');
    const lone = await createIncident(1, NORTH, 'Fire in a flat');
    expect((await alarms()).map((a) => a.count).sort()).toEqual([1, 2]);

    const close = async (incidentId: string) => expect((await call('incidents.close', { id: incidentId, reason: 'handled' }, as('supervisor'))).ok).toBe(true);
    await close(lone.id);
    await close(first.id);
    // The fire's alarm is answered by its incident's closing; the group still holds an open fight.
    const open = await alarms();
    expect(open.map((a) => [a.count, a.state])).toEqual([[2, 'new']]);
    await close(second.id);
    expect(await alarms()).toEqual([]);
    const closed = ((await call('alarms.list', { includeClosed: true })).result as { alarms: Alarm[] }).alarms;
    expect(closed.map((a) => [a.count, a.state, a.closedBy])).toEqual(expect.arrayContaining([[1, 'closed', 'vigie'], [2, 'closed', 'vigie']]));
  });
});
