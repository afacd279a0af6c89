import { describe, expect, it } from 'vitest';
import type { CallContext } from '../rpc';
import { annotationBench, SQUARE } from './testBench';

const seatA: CallContext = { user: 'amartin', role: 'operator', origin: 'seat-a' };
const seatB: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'seat-b' };

describe('editing an annotation’s shape', () => {
  it('moving one vertex is a logged, versioned edit with the shape before and after, journaled; the geofence follows the new shape', () => {
    const { store, service, alerts, unitAt, events, journal } = annotationBench();
    const fence = service.save(seatA, undefined, { shape: 'polygon', coordinates: SQUARE, label: 'Périmètre', color: '#ff9500', geofence: true });
    expect(fence.version).toBe(1);
    unitAt(5.380, 43.294, 1_000); // east of the square, outside

    // The east side pulled out to 5.382: the unit is now inside the drawn area, which is not news…
    const wider: [number, number][] = [SQUARE[0]!, [5.382, 43.292], [5.382, 43.297], SQUARE[3]!];
    const moved = service.reshape(seatA, fence.id, 1, { coordinates: wider });
    expect(moved).toMatchObject({ id: fence.id, version: 2, coordinates: wider, label: 'Périmètre', updatedBy: 'amartin' });
    expect(store.annotations.get(fence.id)).toMatchObject({ version: 2, coordinates: wider });
    unitAt(5.380, 43.2945, 2_000);
    expect(alerts).toEqual([]);
    // …and leaving the new area is.
    unitAt(5.386, 43.2945, 3_000);
    expect(alerts).toEqual(['unit_left PM 1 Périmètre']);

    const log = events(fence.id);
    expect(log.map((e) => e.kind)).toEqual(['annotation.create', 'annotation.edit']);
    expect(log[1]).toMatchObject({ by: 'amartin', version: 2, baseVersion: 1, shape: 'polygon', label: 'Périmètre', coordinates: wider, reshape: { from: { coordinates: SQUARE }, to: { coordinates: wider } } });
    expect(journal()).toEqual(['amartin annotation.create', 'amartin annotation.reshape']);
  });

  it('an edit made on an older version is refused, naming who changed it, and nothing is written', () => {
    const { store, service, events } = annotationBench();
    const a = service.save(seatA, undefined, { shape: 'circle', coordinates: [[5.3747, 43.2951]], radiusM: 300, label: 'Stade', color: '#ff3b30', geofence: false });
    // Both seats start from version 1; B saves first (a larger circle), then A's move arrives.
    service.reshape(seatB, a.id, 1, { coordinates: [[5.3747, 43.2951]], radiusM: 450 });
    expect(() => service.reshape(seatA, a.id, 1, { coordinates: [[5.3760, 43.2960]] })).toThrow(
      '“Stade” was changed by jdupont (now version 2; your edit was made on version 1). Your edit was not saved: look at it again and redo it.',
    );
    expect(() => service.save(seatA, a.id, { shape: 'circle', coordinates: [[5.3747, 43.2951]], radiusM: 300, label: 'Stade (A)', color: '#ff3b30', geofence: false }, { baseVersion: 1 })).toThrow(/changed by jdupont/);
    expect(store.annotations.get(a.id)).toMatchObject({ version: 2, radiusM: 450, coordinates: [[5.3747, 43.2951]], label: 'Stade' });
    expect(events(a.id)).toHaveLength(2);
  });

  it('moving the whole shape and resizing a circle keep its other fields; undo puts the shape back as a new version', () => {
    const { store, service, events, journal } = annotationBench();
    const a = service.save(seatA, undefined, { shape: 'circle', coordinates: [[5.3747, 43.2951]], radiusM: 300, label: 'Stade', color: '#ff3b30', geofence: true });
    const moved = service.reshape(seatA, a.id, 1, { coordinates: [[5.3800, 43.2990]], radiusM: 420 });
    expect(moved).toMatchObject({ version: 2, coordinates: [[5.38, 43.299]], radiusM: 420, label: 'Stade', color: '#ff3b30', geofence: true });
    const edit = events(a.id).at(-1)!;
    const seq = store.annotations.get(a.id)!.seq;
    const undone = service.reshape(seatA, a.id, 2, { coordinates: [[5.3747, 43.2951]], radiusM: 300 }, seq);
    expect(undone).toMatchObject({ version: 3, coordinates: [[5.3747, 43.2951]], radiusM: 300 });
    expect(edit).toMatchObject({ reshape: { from: { coordinates: [[5.3747, 43.2951]], radiusM: 300 }, to: { coordinates: [[5.38, 43.299]], radiusM: 420 } } });
    expect(events(a.id).at(-1)).toMatchObject({ kind: 'annotation.edit', version: 3, reshape: { undoOf: seq } });
    expect(journal().slice(-2)).toEqual(['amartin annotation.reshape', 'amartin annotation.reshape.undo']);
  });

  it('a shape that is not one any more is refused with the reason', () => {
    const { service } = annotationBench();
    const a = service.save(seatA, undefined, { shape: 'polygon', coordinates: SQUARE, label: '', color: '#4da3ff', geofence: false });
    expect(() => service.reshape(seatA, a.id, 1, { coordinates: SQUARE.slice(0, 2) })).toThrow('That shape cannot be saved: coordinates: a polygon needs at least 3 positions.');
    expect(() => service.reshape(seatA, 'nope', 1, { coordinates: SQUARE })).toThrow('No annotation nope to reshape.');
  });
});
