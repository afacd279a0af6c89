import { describe, expect, it } from 'vitest';
import { contract } from '../../../common/contract';
import type { CallContext } from '../rpc';
import { annotationBench, SQUARE } from './testBench';
import { entityEvents } from '../db/events';

const operator: CallContext = { user: 'amartin', role: 'operator', origin: 'test' };

describe('annotations and geofences', () => {
  it('checks each shape: a polygon needs three positions, a circle its radius, only areas can be geofences', () => {
    const fields = contract['annotations.save'].params;
    expect(fields.safeParse({ fields: { shape: 'polygon', coordinates: SQUARE.slice(0, 2) } }).error?.issues[0]?.message).toBe('a polygon needs at least 3 positions');
    expect(fields.safeParse({ fields: { shape: 'circle', coordinates: [[5.37, 43.29]] } }).error?.issues[0]?.message).toBe('a circle needs a radius');
    expect(fields.safeParse({ fields: { shape: 'line', coordinates: SQUARE, geofence: true } }).error?.issues[0]?.message).toBe('only a polygon or a circle can be a geofence');
    expect(fields.safeParse({ fields: { shape: 'text', coordinates: [[5.37, 43.29]], label: 'PC sécurité' } }).success).toBe(true);
  });

  it('creates, edits and soft-deletes, each an event, the deleted one kept', () => {
    const { store, service } = annotationBench();
    const a = service.save(operator, undefined, { shape: 'polygon', coordinates: SQUARE, label: 'Périmètre', color: '#ff9500', geofence: false });
    const edited = service.save(operator, a.id, { ...a, label: 'Périmètre élargi' });
    expect(edited).toMatchObject({ id: a.id, label: 'Périmètre élargi', createdBy: 'amartin' });
    service.delete(operator, a.id);
    expect(store.annotations.list()).toEqual([]);
    expect(store.annotations.list(true)[0]).toMatchObject({ deleted: true, label: 'Périmètre élargi' });
    const kinds = entityEvents(store.db, `annotation:${a.id}`).map((e) => e.kind);
    expect(kinds).toEqual(['annotation.create', 'annotation.edit', 'annotation.delete']);
    expect(() => service.delete(operator, a.id)).toThrow(/No annotation/);
  });

  it('a unit entering and leaving a geofence raises one alert each; a unit already inside when it is drawn raises none', () => {
    const { service, alerts, unitAt } = annotationBench();
    unitAt(5.360, 43.294, 1_000);
    service.save(operator, undefined, { shape: 'polygon', coordinates: SQUARE, label: 'Périmètre', color: '#ff9500', geofence: true });
    unitAt(5.365, 43.294, 2_000);
    unitAt(5.370, 43.294, 3_000);
    unitAt(5.371, 43.295, 4_000);
    unitAt(5.380, 43.295, 5_000);
    expect(alerts).toEqual(['unit_entered PM 1 Périmètre', 'unit_left PM 1 Périmètre']);
    expect(service.alerts(10).map((a) => a.kind)).toEqual(['unit_left', 'unit_entered']);
  });

  it('an incident appearing inside a circle geofence raises an alert once, not on its later updates', () => {
    const { service, alerts, incidentAt } = annotationBench();
    service.save(operator, undefined, { shape: 'circle', coordinates: [[5.3747, 43.2951]], radiusM: 300, label: 'Stade', color: '#ff3b30', geofence: true });
    incidentAt('OUT', 5.40, 43.31);
    incidentAt('IN', 5.3750, 43.2960);
    incidentAt('IN', 5.3751, 43.2960);
    expect(alerts).toEqual(['incident_inside Incident IN Stade']);
  });
});
