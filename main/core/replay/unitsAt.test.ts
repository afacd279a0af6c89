import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch } from '../rpc';
import { ingestBatch } from '../ingest/ingest';
import { tempDir } from '../../../test/helpers';
import type { RecommendationList } from '../../../common/domain/dispatch';

const cores: VigieCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

const ms = (iso: string) => Date.parse(iso);
/** The Vieux-Port, where the replayed incident happened. */
const PLACE = { lon: 5.3698, lat: 43.2951 };

/** The test's own great-circle distance (mean Earth radius), independent of common/geo. */
function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

const north = (km: number) => ({ lon: PLACE.lon, lat: PLACE.lat + km / 111.2 });
const unit = (unitId: string, t: string, at: { lon: number; lat: number }, status?: string) => ({
  kind: 'unit' as const, unitId, callsign: unitId, unitType: 'vehicle' as const, ...at, t: ms(t), ...(status ? { status } : {}),
});

async function call<T>(core: VigieCore, method: string, params: unknown): Promise<T> {
  const reply = (await dispatch(core.api, { t: 'req', id: 1, method, params }, { role: 'supervisor', user: 'formateur', origin: 'window-1' })) as { ok: boolean; result?: T; error?: unknown };
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  return reply.result!;
}

describe('dispatch in replay ranks the units of that instant', () => {
  it('positions, existence and feed status at 10:05 decide the ranking, not where the units are now', async () => {
    const dir = tempDir();
    const core = new VigieCore(dir, { profileDir: dir, demo: false });
    cores.push(core);
    const feed = { id: 'radio', simulated: false };
    // 10:00: A is 0.5 km away, B 6 km, D 1 km but on scene elsewhere. C does not exist yet.
    ingestBatch(core.store, feed, { records: [unit('A', '2024-03-01T10:00:00Z', north(0.5)), unit('B', '2024-03-01T10:00:00Z', north(6)), unit('D', '2024-03-01T10:00:00Z', north(1), 'on_scene')], errors: [] }, ms('2024-03-01T10:00:00Z'));
    ingestBatch(core.store, feed, { records: [{ kind: 'incident', externalId: 'I1', category: 'theft', title: 'Vol', ...PLACE, occurredAt: ms('2024-03-01T10:00:00Z'), status: 'new', priority: 2 }], errors: [] }, ms('2024-03-01T10:00:00Z'));
    // Later the day moved on: A drove 8 km away, B came to the port, C started its shift next to it, D is free.
    ingestBatch(core.store, feed, { records: [unit('C', '2024-03-01T11:30:00Z', north(0.2))], errors: [] }, ms('2024-03-01T11:30:00Z'));
    ingestBatch(core.store, feed, { records: [unit('A', '2024-03-01T12:00:00Z', north(8)), unit('B', '2024-03-01T12:00:00Z', north(0.1)), unit('D', '2024-03-01T12:00:00Z', north(1), 'available')], errors: [] }, ms('2024-03-01T12:00:00Z'));

    const then = await call<RecommendationList>(core, 'dispatch.recommend', { incidentId: 'radio:I1', at: ms('2024-03-01T10:05:00Z') });
    expect(then.units.map((u) => [u.callsign, u.availability])).toEqual([['A', 'available'], ['B', 'available'], ['D', 'busy']]);
    expect(then.computedAt).toBe(ms('2024-03-01T10:05:00Z'));
    for (const [callsign, km] of [['A', 0.5], ['B', 6], ['D', 1]] as const) {
      expect(Math.abs(then.units.find((u) => u.callsign === callsign)!.distanceM - metres(PLACE, north(km)))).toBeLessThan(2);
    }

    // Live (no instant): today's positions, C included, B first.
    const now = await call<RecommendationList>(core, 'dispatch.recommend', { incidentId: 'radio:I1' });
    expect(now.units.map((u) => u.callsign)).toEqual(['B', 'C', 'D', 'A']);
    expect(Math.abs(now.units[0]!.distanceM - metres(PLACE, north(0.1)))).toBeLessThan(2);

    // At 11:35 C exists (seen 5 minutes before) and comes first; A, B and D were last heard of at 10:00: stale then, as the screen said.
    const later = await call<RecommendationList>(core, 'dispatch.recommend', { incidentId: 'radio:I1', at: ms('2024-03-01T11:35:00Z') });
    expect(later.units[0]).toMatchObject({ callsign: 'C', availability: 'available', assignable: true });
    expect(later.units.slice(1).map((u) => [u.callsign, u.availability]).sort()).toEqual([['A', 'stale'], ['B', 'stale'], ['D', 'stale']]);
  });
});
