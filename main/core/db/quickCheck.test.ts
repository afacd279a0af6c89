import { describe, expect, it } from 'vitest';
import { FeedRecord } from '../../../common/domain/feedRecord';
import { quickCheck } from './quickCheck';

const unit = { kind: 'unit', unitId: 'V1', callsign: 'Bus 1', unitType: 'transit', lon: 5.37, lat: 43.3, heading: 359.5, speed: 8, t: 1_764_000_000_000, status: 'in_transit_to', routeId: 'M1', expiresAt: 1_764_000_060_000, sourceType: 'a-f-G', occupancy: 'full', team: 'Cyan', teamRole: 'Team Lead', battery: 76, client: 'ATAK-CIV 5.1' };
const incident = { kind: 'incident', externalId: 'A', category: 'noise', priority: 4, status: 'closed', title: '', description: 'd', address: 'a', lon: -180, lat: 90, occurredAt: 0, closedAt: 1 };

/** Values that probe each bound of the schemas. */
const PROBES: unknown[] = [undefined, null, '', 'x', 'x'.repeat(65), 'x'.repeat(101), 'x'.repeat(201), 'x'.repeat(301), 'x'.repeat(4001), -1, 0, 0.5, 1, 4, 5, 90, 90.0001, -90.0001, 180, 180.5, 359.99, 360, 1000, 1001, NaN, Infinity, -Infinity, 2 ** 53, true, {}, [], 'new', 'open', 'vehicle', 'transit', 'full', 'x'.repeat(51), 100, 101];

describe('the quick record check', () => {
  it('accepts a record only if zod accepts it unchanged, for every probe value of every field', () => {
    let accepted = 0;
    for (const base of [unit, incident] as Record<string, unknown>[]) {
      expect(quickCheck(base as FeedRecord)).toBe(true);
      for (const field of [...Object.keys(base).filter((k) => k !== 'kind'), 'extra']) {
        for (const value of PROBES) {
          const record = { ...base, [field]: value };
          if (value === undefined) delete record[field];
          if (!quickCheck(record as FeedRecord)) continue;
          accepted++;
          const zod = FeedRecord.safeParse(record);
          expect(zod.success, `${String(base.kind)}.${field} = ${String(value)}`).toBe(true);
          expect(zod.data).toEqual(record);
        }
      }
    }
    expect(accepted).toBeGreaterThan(40);
  });

  it('agrees with zod on 5,000 records damaged at random in two fields', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5000; i++) {
      const base = (i % 2 ? unit : incident) as Record<string, unknown>;
      const keys = Object.keys(base).filter((k) => k !== 'kind');
      const record: Record<string, unknown> = { ...base };
      for (let j = 0; j < 2; j++) record[keys[Math.floor(random() * keys.length)]!] = PROBES[Math.floor(random() * PROBES.length)];
      if (quickCheck(record as FeedRecord)) expect(FeedRecord.safeParse(record).data).toEqual(record);
    }
  });
});
