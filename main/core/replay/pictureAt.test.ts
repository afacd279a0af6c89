import { afterEach, describe, expect, it } from 'vitest';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import type { PictureAt } from '../../../common/methods/replay';
import { VigieCore } from '../core';
import type { CallContext } from '../rpc';
import { storeAndPublish } from '../feeds/scheduler';
import { districtsFrom } from '../indicators/districts';
import { IndicatorService } from '../indicators/indicators';
import { tempDir } from '../../../test/helpers';
import { callAs, instantBetween } from '../../../test/core';

const cores: VigieCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const instant = instantBetween;
const call = <T>(core: VigieCore, method: string, params: unknown = {}) => callAs<T>(core, supervisor, method, params);

const picture = (core: VigieCore, at: number) => call<PictureAt>(core, 'replay.pictureAt', { at });

const cap = (id: string, msgType: 'Alert' | 'Cancel', references: string[] = []) => ({
  kind: 'alert', externalId: id, alertId: id, msgType, status: 'Actual', references, sent: Date.now(), categories: ['Met'], event: 'Vent violent',
  severity: 'Severe', urgency: 'Expected', certainty: 'Likely', areaDesc: 'Marseille', polygons: [], circles: [], geocodes: [], expires: Date.now() + 3_600_000,
});
const camera = (status: 'online' | 'fault') => ({ kind: 'camera', externalId: 'CAM-12', name: 'Vieux-Port', lon: 5.374, lat: 43.295, heading: 90, fieldOfView: 60, range: 80, status, t: Date.now() });
const unit = (lon: number, lat: number) => ({ kind: 'unit', unitId: 'PM-01', callsign: 'PM 01', unitType: 'vehicle', lon, lat, status: 'disponible', t: Date.now() });
const incident = { kind: 'incident', externalId: 'I1', category: 'public_order', priority: 2, status: 'new', title: 'Rixe quai du Port', lon: 5.3705, lat: 43.2955, occurredAt: Date.now() - 60_000 };

/** The Old Port as a geofence; and the same square as the district an indicator counts in. */
const FENCE: [number, number][] = [[5.365, 43.29], [5.375, 43.29], [5.375, 43.30], [5.365, 43.30]];
const districts = districtsFrom({ features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...FENCE, FENCE[0]!]] }, properties: { name: 'Vieux-Port' } }] });

const CALENDAR = (from: number) => {
  const iso = (t: number) => new Date(t).toISOString();
  return `id,title,kind,start,end,lon,lat\nM1,Marché,market,${iso(from + 3_600_000)},${iso(from + 4 * 3_600_000)},5.370,43.295\nD1,Manifestation,demonstration,${iso(from + 2 * 3_600_000)},${iso(from + 5 * 3_600_000)},5.371,43.295\n`;
};

describe('the whole picture at an instant, from the log', () => {
  it('shows alerts, cameras, annotations, geofence alerts, dispatches, the calendar, indicator alerts and forecasts as they were', async () => {
    const dir = tempDir();
    const core = new VigieCore(dir, { profileDir: dir, demo: false });
    cores.push(core);
    core.start();
    const ingest = (records: Record<string, unknown>[]) => storeAndPublish({ store: core.store, bus: core.bus }, { id: 'city', simulated: false }, { records: records as FeedRecord[], errors: [] }, Date.now());
    const indicators = new IndicatorService(core.store, core.bus, () => districts, [{ id: 'rixes', label: 'Rixes', category: 'public_order', window: 'hour', threshold: { kind: 'absolute', count: 1 }, sheet: '# Rixes' }]);

    const before = await instant();
    // Step 1: a CAP alert, a camera, a unit outside the Old Port, a call inside it, a fence, two planned events, an indicator alert.
    ingest([cap('A1', 'Alert'), camera('online'), unit(5.40, 43.31), incident]);
    const fence = await call<{ id: string }>(core, 'annotations.save', { fields: { shape: 'polygon', coordinates: FENCE, label: 'Cordon', geofence: true } });
    expect((await call<{ stored: number }>(core, 'calendar.import', { format: 'csv', body: CALENDAR(Date.now()) })).stored).toBe(2);
    const [raised] = indicators.evaluate(Date.now());
    expect(raised).toBeDefined();
    const step1 = await instant();

    // Step 2: the label edited, the call acknowledged and a unit dispatched, which then enters the fence;
    // the camera fails, the alert is cancelled, the indicator alert acknowledged, a forecast shown.
    await call(core, 'annotations.save', { id: fence.id, fields: { shape: 'polygon', coordinates: FENCE, label: 'Cordon 2', geofence: true } });
    await call(core, 'incidents.acknowledge', { id: 'city:I1' });
    await call(core, 'dispatch.assign', { incidentId: 'city:I1', unitId: 'city:PM-01' });
    ingest([unit(5.37, 43.295), camera('fault'), cap('A2', 'Cancel', ['A1'])]);
    indicators.acknowledge(supervisor, raised!.seq);
    const forecast = await call<{ computedAt: number }>(core, 'forecasts.latest', { horizonHours: 24 });
    const step2 = await instant();

    // Step 3: the fence deleted, one planned event removed, the call closed (which clears the unit).
    await call(core, 'annotations.delete', { id: fence.id });
    await call(core, 'calendar.delete', { id: 'csv:D1' });
    await call(core, 'incidents.close', { id: 'city:I1' });
    const step3 = await instant();

    const p0 = await picture(core, before);
    expect([p0.alerts, p0.cameras, p0.annotations, p0.geofenceAlerts, p0.assignments, p0.calendar.events, p0.indicatorAlerts, p0.incidents]).toEqual([[], [], [], [], [], [], [], []]);
    expect(p0.forecasts).toEqual({});

    const p1 = await picture(core, step1);
    expect(p1.alerts.map((a) => a.alertId)).toEqual(['A1']);
    expect(p1.cameras.map((c) => [c.id, c.status])).toEqual([['city:CAM-12', 'online']]);
    expect(p1.annotations.map((a) => a.label)).toEqual(['Cordon']);
    expect(p1.geofenceAlerts).toEqual([]);
    expect(p1.incidents.map((i) => [i.id, i.status])).toEqual([['city:I1', 'new']]);
    expect(p1.assignments).toEqual([]);
    expect(p1.units).toEqual([expect.objectContaining({ id: 'city:PM-01', callsign: 'PM 01', status: 'disponible', lon: 5.4 })]);
    expect(p1.calendar.events.map((e) => e.title).sort()).toEqual(['Manifestation', 'Marché']);
    expect(p1.calendar.clashes.map((c) => c.reason)).toEqual(['nearby']);
    expect(p1.indicatorAlerts.map((a) => [a.district, a.acknowledgedBy])).toEqual([['Vieux-Port', undefined]]);
    expect(p1.forecasts).toEqual({});

    const p2 = await picture(core, step2);
    expect(p2.alerts).toEqual([]);
    expect(p2.cameras.map((c) => c.status)).toEqual(['fault']);
    expect(p2.annotations.map((a) => [a.label, a.createdBy])).toEqual([['Cordon 2', 'jdupont']]);
    expect(p2.geofenceAlerts.map((a) => [a.kind, a.subject])).toEqual([['unit_entered', 'PM 01']]);
    expect(p2.incidents.map((i) => [i.status, i.operatorOwned])).toEqual([['dispatched', true]]);
    expect(p2.incidents[0]!.dispatchedAt).toBeGreaterThan(step1);
    expect(p2.assignments.map((a) => [a.unitId, a.status, a.assignedBy])).toEqual([['city:PM-01', 'assigned', 'jdupont']]);
    expect(p2.indicatorAlerts.map((a) => a.acknowledgedBy)).toEqual(['jdupont']);
    expect(p2.forecasts['24']?.computedAt).toBe(forecast.computedAt);

    const p3 = await picture(core, step3);
    expect(p3.annotations).toEqual([]);
    expect(p3.calendar.events.map((e) => e.title)).toEqual(['Marché']);
    expect(p3.calendar.clashes).toEqual([]);
    expect(p3.incidents).toEqual([]);
    expect(p3.assignments.map((a) => a.status)).toEqual(['cleared']);
    // The live projections agree with the last picture.
    expect((await call<unknown[]>(core, 'annotations.list')).length).toBe(0);
    expect(p3.cameras).toEqual(await call(core, 'cameras.list'));
  });
});
