import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { VigieCore } from '../core';
import { dispatch } from '../rpc';
import { Store } from '../store';
import { ingestBatch } from '../ingest/ingest';
import { tempDir } from '../../../test/helpers';
import { TestClock } from '../../../test/clock';
import { createSandbox } from './sandbox';
import { buildDebrief, debriefCsv, debriefHtml } from './debrief';
import type { PictureAt } from '../../../common/methods/replay';

const cores: VigieCore[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

function openCore(dir: string, clock?: TestClock): VigieCore {
  const core = new VigieCore(dir, { profileDir: dir, demo: false, ...(clock ? { clock } : {}) });
  cores.push(core);
  return core;
}

async function call(core: VigieCore, method: string, params: unknown = {}, role = 'trainer') {
  const reply = (await dispatch(core.api, { t: 'req', id: 1, method, params }, { role: role as 'trainer', user: 'trainee-1', origin: 'test' })) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(reply.error!.message);
  return reply.result as never;
}

const DAY = Date.parse('2010-03-14T00:00:00Z');
const incident = (id: string, occurredAt: number): FeedRecord => ({ kind: 'incident', externalId: id, category: 'theft', priority: 3, status: 'new', title: `Call ${id}`, lon: 5.37, lat: 43.29, occurredAt }) as FeedRecord;

/** A live profile with two calls on the 14th and one on the 15th, dated at occurrence. */
function liveProfile(): string {
  const dir = tempDir();
  const store = Store.open(dir);
  for (const [id, t] of [['A', DAY + 3_600_000], ['B', DAY + 7_200_000], ['C', DAY + 86_400_000 + 3_600_000]] as const) {
    ingestBatch(store, { id: 'cad', simulated: false }, { records: [incident(id, t)], errors: [] }, t, { eventTime: () => t });
  }
  store.close();
  return dir;
}

const liveSnapshot = (dir: string) => {
  const db = new Database(path.join(dir, 'vigie.sqlite'), { readonly: true });
  const out = { events: db.prepare('SELECT seq, kind, entity, payload FROM events ORDER BY seq').all(), incidents: db.prepare('SELECT * FROM incidents ORDER BY id').all() };
  db.close();
  return out;
};

describe('training sandboxes', () => {
  it('hold one historical day in their own file; what trainees do there never reaches the live profile', async () => {
    const live = liveProfile();
    const before = liveSnapshot(live);
    const out = path.join(tempDir(), 'sandbox');
    expect(createSandbox({ source: live, day: '2010-03-14', out }).incidents).toBe(2);

    // The day plays in time from midnight: two hours of exercise clock bring both calls.
    const clock = new TestClock();
    const sandbox = openCore(out, clock);
    sandbox.start();
    clock.advance(2 * 3_600_000);
    const list = (await call(sandbox, 'incidents.list', { limit: 100, openOnly: false })) as { id: string; externalId: string }[];
    expect(list.map((i) => i.externalId).sort()).toEqual(['A', 'B']);
    expect(await call(sandbox, 'session.whoami')).toMatchObject({ training: { day: '2010-03-14', scenario: null } });
    // A trainee acknowledges a call and the trainer injects one by hand: in the sandbox only.
    await call(sandbox, 'incidents.acknowledge', { id: list.find((i) => i.externalId === 'A')!.id });
    await call(sandbox, 'training.inject', { record: { kind: 'incident', externalId: 'X', category: 'fire', priority: 1, status: 'new', title: 'Injected fire', lon: 5.38, lat: 43.3 } });
    expect(((await call(sandbox, 'incidents.list', { limit: 100 })) as { title: string }[]).map((i) => i.title)).toContain('Injected fire');
    await sandbox.close();
    cores.splice(0);

    // The debrief: what trainees did, when, against the exercise timeline.
    const debrief = buildDebrief(out);
    const a = debrief.rows.find((r) => r.title === 'Call A')!;
    expect(a).toMatchObject({ origin: 'day', acknowledgedBy: 'trainee-1', dispatchedAt: null });
    expect(a.secondsToAcknowledge).toBeGreaterThanOrEqual(0);
    expect(debrief.rows.find((r) => r.title === 'Injected fire')).toMatchObject({ origin: 'scenario', acknowledgedAt: null });
    const csv = debriefCsv(debrief.rows).split('\r\n');
    expect(csv[0]).toMatch(/^incident,title,category,priority,origin,shownAt,acknowledgedAt,acknowledgedBy,secondsToAcknowledge/);
    expect(csv).toHaveLength(debrief.rows.length + 2);
    expect(debriefHtml(debrief)).toContain('<td>trainee-1</td>');
    // The timeline: what trainees did against what was injected, in exercise time.
    expect(debrief.timeline.map((e) => [e.who, e.action, e.target])).toEqual([
      ['trainee-1', 'incident.acknowledge', 'Call A'],
      ['trainer', 'inject incident', 'Injected fire'],
    ]);
    expect(debrief.timeline[0]!.offsetS).toBeGreaterThanOrEqual(0);
    expect(debriefHtml(debrief)).toMatch(/@media print/);

    expect(liveSnapshot(live)).toEqual(before);
    const liveCore = openCore(live);
    await expect(call(liveCore, 'training.inject', { record: { kind: 'incident' } })).rejects.toThrow(/not a training sandbox/);
    expect(await call(liveCore, 'session.whoami')).toMatchObject({ training: null });
  });

  it('plays a scenario injection when the exercise clock passes its offset', async () => {
    const live = liveProfile();
    const scenarioFile = path.join(tempDir(), 'scenario.json');
    fs.writeFileSync(scenarioFile, JSON.stringify({
      name: 'Fire at the port',
      injections: [
        { offsetSeconds: 0.6, note: 'first call', record: { kind: 'incident', externalId: 'S1', category: 'fire', priority: 1, status: 'new', title: 'Fire on quay 4', lon: 5.36, lat: 43.31 } },
        { offsetSeconds: 0.6, record: { kind: 'unit', unitId: 'PM-7', callsign: 'PM 7', unitType: 'vehicle', lon: 5.37, lat: 43.3, status: 'out_of_service' } },
      ],
    }));
    const out = path.join(tempDir(), 'sandbox');
    createSandbox({ source: live, day: '2010-03-14', out, scenarioFile });
    // The exercise clock is moved by the test: the injection due at 600 ms is checked either side of it, without sleeping.
    const clock = new TestClock();
    const sandbox = openCore(out, clock);
    const seen: { title: string; at: number }[] = [];
    sandbox.bus.subscribe((event, payload) => {
      if (event === 'incident.changed') seen.push({ title: (payload as { incident: { title: string } }).incident.title, at: clock.now() });
    });
    sandbox.start();
    const start = clock.now();
    expect(await call(sandbox, 'session.whoami')).toMatchObject({ training: { scenario: 'Fire at the port' } });
    clock.advance(599);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([{ title: 'Fire on quay 4', at: start + 600 }]);
    const units = (await call(sandbox, 'units.list')) as { callsign?: string; status?: string; simulated: boolean }[];
    expect(units).toEqual([expect.objectContaining({ callsign: 'PM 7', status: 'out_of_service' })]);

    // A restart of the exercise's data service neither plays an injection again nor loses one.
    await sandbox.close();
    cores.splice(0);
    const again = openCore(out, clock);
    again.start();
    clock.advance(60_000);
    const db = new Database(path.join(out, 'vigie.sqlite'), { readonly: true });
    expect(db.prepare("SELECT count(*) FROM events WHERE entity IN (SELECT entity FROM training_injections) AND kind = 'incident.upsert'").pluck().get()).toBe(1);
    db.close();
  });

  it('copies every kind the day holds: unit positions, cameras, alerts, signals, calendar and annotations, but not the supervisor\'s actions', async () => {
    const live = tempDir();
    const core = openCore(live);
    const ingest = (records: Record<string, unknown>[], t: number) =>
      ingestBatch(core.store, { id: 'city', simulated: false }, { records: records as FeedRecord[], errors: [] }, Date.now(), { eventTime: () => t });
    const H = 3_600_000;
    const before = DAY - 2 * H;
    // Standing before the day: a camera, a CAP alert still in force, another one expired, a planned event, an annotation.
    ingest([{ kind: 'camera', externalId: 'CAM-1', lon: 5.37, lat: 43.29, status: 'online', t: before }], before);
    const cap = (id: string, sent: number, expires: number) => ({ kind: 'alert', externalId: id, alertId: id, msgType: 'Alert', status: 'Actual', references: [], sent, expires, categories: ['Met'], event: 'Vent', severity: 'Severe', urgency: 'Expected', certainty: 'Likely', areaDesc: 'Marseille', polygons: [[[5.36, 43.29], [5.38, 43.29], [5.38, 43.30], [5.36, 43.29]]], circles: [], geocodes: [] });
    ingest([cap('W1', before, DAY + 3 * H)], before);
    ingest([cap('OLD', before - H, before)], before - H);
    // The calendar and the annotation were entered the evening before (the wall clock says so; timers stay real).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(before);
    core.calendar.import(null, 'csv', `id,title,kind,start,end,lon,lat\nM1,Marché,market,${new Date(DAY + 8 * H).toISOString()},${new Date(DAY + 12 * H).toISOString()},5.37,43.29\n`, 'agenda');
    await call(core, 'annotations.save', { fields: { shape: 'circle', coordinates: [[5.37, 43.29]], radiusM: 300, label: 'Secteur A' } }, 'supervisor');
    const evening = { visible: ['cameras', 'incidents'], opacity: { cameras: 0.6, incidents: 1 } };
    await call(core, 'layers.record', evening, 'supervisor');
    // During the day: a call, a patrol driving (with a status change), the camera failing, a signal bucket.
    ingest([incident('D1', DAY + H)], DAY + H);
    for (let k = 0; k < 6; k++) ingest([{ kind: 'unit', unitId: 'PM-1', callsign: 'PM 1', unitType: 'vehicle', lon: 5.36 + k * 0.002, lat: 43.29, status: k < 3 ? 'libre' : 'occupé', t: DAY + H + k * 60_000 }], DAY + H + k * 60_000);
    ingest([{ kind: 'camera', externalId: 'CAM-1', lon: 5.37, lat: 43.29, status: 'fault', t: DAY + 2 * H }], DAY + 2 * H);
    core.store.db.transaction(() => core.store.log.append({ t: DAY + H, source: 'crowd', kind: 'signal.bucket', entity: `signal:crowd:people:cell-1:${DAY + H}`, payload: { kind: 'people', area: 'cell-1', start: DAY + H, minutes: 15, count: 40, k: 10 } }))();
    // The supervisor acknowledges the call during the day: that stays in the live profile.
    vi.setSystemTime(DAY + 1.5 * H);
    await call(core, 'incidents.acknowledge', { id: 'city:D1' }, 'supervisor');
    await call(core, 'layers.record', { visible: ['units'], opacity: { units: 1 } }, 'supervisor');
    vi.useRealTimers();
    await core.close();
    cores.splice(0);

    const out = path.join(tempDir(), 'sandbox');
    const { copied } = createSandbox({ source: live, day: '2010-03-14', out });
    expect(copied).toEqual({ incidents: 1, unitPositions: 6, cameras: 2, alerts: 1, otherFeedRecords: 0, signalBuckets: 1, plannedEvents: 1, annotations: 1, layerSets: 1 });

    // The exercise runs through the whole day (speed 1 on a test clock), delivering every record at its time.
    const clock = new TestClock();
    const sandbox = openCore(out, clock);
    sandbox.start();
    clock.advance(86_400_000);
    const at = async (t: number) => (await call(sandbox, 'replay.pictureAt', { at: t })) as PictureAt;
    const morning = await at(DAY + H + 2.5 * 60_000);
    expect(morning.units).toEqual([expect.objectContaining({ id: 'city:PM-1', callsign: 'PM 1', status: 'libre', lon: 5.364 })]);
    expect(morning.trails['city:PM-1']).toHaveLength(3);
    expect(morning.cameras.map((c) => c.status)).toEqual(['online']);
    expect(morning.alerts.map((a) => a.alertId)).toEqual(['W1']);
    expect(morning.annotations.map((a) => a.label)).toEqual(['Secteur A']);
    expect(morning.calendar.events.map((e) => e.title)).toEqual(['Marché']);
    expect(morning.layers).toEqual(evening);
    // As the day went: not acknowledged in the sandbox, whatever the supervisor did on the real day.
    expect(morning.incidents.map((i) => [i.externalId, i.status])).toEqual([['D1', 'new']]);
    const later = await at(DAY + 2.5 * H);
    expect(later.units).toEqual([]);
    expect(later.cameras.map((c) => c.status)).toEqual(['fault']);
    // The layers the supervisor changed during the day are not copied: the set standing at its start stays.
    expect(later.layers).toEqual(evening);
    expect((await call(sandbox, 'units.list')) as unknown[]).toEqual([expect.objectContaining({ status: 'occupé', lon: 5.37 })]);
    const db = new Database(path.join(out, 'vigie.sqlite'), { readonly: true });
    expect(db.prepare("SELECT count(*) FROM events WHERE kind = 'signal.bucket'").pluck().get()).toBe(1);
    expect(db.prepare("SELECT count(*) FROM events WHERE kind = 'incident.acknowledge'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM unit_positions').pluck().get()).toBe(6);
    db.close();
  });

  it('refuses a bad day, a missing profile, a non-empty folder and a broken scenario with a clear reason', () => {
    const live = liveProfile();
    expect(() => createSandbox({ source: live, day: '14/03/2010', out: path.join(tempDir(), 's') })).toThrow(/YYYY-MM-DD/);
    expect(() => createSandbox({ source: tempDir(), day: '2010-03-14', out: path.join(tempDir(), 's') })).toThrow(/no Vigie profile/);
    expect(() => createSandbox({ source: live, day: '2010-03-14', out: live })).toThrow(/new folder/);
    const bad = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ name: 'x', injections: [{ offsetSeconds: 5, record: { kind: 'incident', title: 'no place' } }] }));
    expect(() => createSandbox({ source: live, day: '2010-03-14', out: path.join(tempDir(), 's'), scenarioFile: bad })).toThrow(/bad\.json: injections\.0\.record\./);
  });
});
