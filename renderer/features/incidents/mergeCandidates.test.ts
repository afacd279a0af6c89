import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../common/domain/incident';
import { formatMetres, formatMinutes, mergeCandidates } from './mergeCandidates';

const T0 = Date.UTC(2026, 11, 5, 20, 0);
const VIEUX_PORT = { lon: 5.3747, lat: 43.2951 };

/** The point `metres` from the Vieux-Port on a bearing, by spherical trigonometry (the destination formula). */
function offset(metres: number, bearingDeg: number): { lon: number; lat: number } {
  const R = 6_371_008.8;
  const d = metres / R;
  const b = (bearingDeg * Math.PI) / 180;
  const lat1 = (VIEUX_PORT.lat * Math.PI) / 180;
  const lon1 = (VIEUX_PORT.lon * Math.PI) / 180;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lon2 = lon1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lon: (lon2 * 180) / Math.PI, lat: (lat2 * 180) / Math.PI };
}

function incident(id: string, at: { lon: number; lat: number }, minutesAfter: number, extra: Partial<Incident> = {}): Incident {
  return { id, feedId: 'f', externalId: id, simulated: false, updatedAt: T0, seq: 1, category: 'fight', priority: 2, status: 'new', title: `Incident ${id}`, occurredAt: T0 + minutesAfter * 60_000, ...at, ...extra };
}

describe('duplicates to merge into', () => {
  const base = incident('BASE', VIEUX_PORT, 0);
  const others = [
    incident('FAR-LATER', offset(2000, 90), 180),
    incident('NEAR-BUT-6H', offset(200, 45), -360, { category: 'fight' }),
    incident('KM-SOON', offset(1200, 200), 2),
    incident('CLOSE-CLOSED', offset(100, 10), 1, { status: 'closed' }),
    incident('300M-50MIN', offset(300, 300), 50, { category: 'theft' }),
    incident('50M-10MIN', offset(50, 120), -10),
  ];

  it('lists open incidents nearest first by place and time together (500 m weighs as 30 min), never the incident itself or a closed one', () => {
    const list = mergeCandidates(base, [base, ...others]);
    expect(list.map((c) => c.incident.id)).toEqual(['50M-10MIN', '300M-50MIN', 'KM-SOON', 'FAR-LATER', 'NEAR-BUT-6H']);
    // 200 m away but six hours apart is not a likely duplicate: last, though second by place alone.
    expect(list.at(-1)!.nearness).toBeCloseTo(200 / 500 + 360 / 30, 2);
  });

  it('measures the distance as the great circle does (within 1 %, city scale), and the time gap either way', () => {
    const truth: Record<string, number> = { 'FAR-LATER': 2000, 'NEAR-BUT-6H': 200, 'KM-SOON': 1200, '300M-50MIN': 300, '50M-10MIN': 50 };
    const list = mergeCandidates(base, others);
    for (const c of list) expect(Math.abs(c.metres - truth[c.incident.id]!) / truth[c.incident.id]!, c.incident.id).toBeLessThan(0.01);
    expect(list.find((c) => c.incident.id === '50M-10MIN')!.minutes).toBe(10);
    expect(list.find((c) => c.incident.id === 'NEAR-BUT-6H')!.minutes).toBe(360);
  });

  it('says distances and gaps the way a supervisor reads them', () => {
    expect([formatMetres(48), formatMetres(1234), formatMinutes(9.6), formatMinutes(185)]).toEqual(['50 m', '1.2 km', '10 min', '3 h 05']);
  });
});
