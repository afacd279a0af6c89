import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../common/domain/indicator';
import type { PlannedEventFields } from '../../../common/domain/plannedEvent';
import { EventBus } from '../bus';
import { CalendarService } from '../calendar/calendar';
import { CalendarConfig } from '../calendar/calendarConfig';
import type { CallContext } from '../rpc';
import { geojsonAdapter } from '../feeds/geojson';
import { storeAndPublish } from '../feeds/scheduler';
import { Store } from '../store';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';
import { districtsFrom } from './districts';
import { IndicatorService } from './indicators';

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const HOUR = 3_600_000, WEEK = 7 * 24 * HOUR;
const NOW = Date.UTC(2026, 10, 25, 20, 30);
const square = (name: string, lon: number, lat: number) => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]] },
  properties: { name },
});
// Two districts: one around the stadium, one beside it.
const districts = districtsFrom({ features: [square('Sainte-Marguerite', 5.39, 43.26), square('Rouet', 5.39, 43.27)] });
const STADIUM: [number, number] = [5.3955, 43.2698];

const fights: Indicator = { id: 'rixes', label: 'Rixes', category: 'public_order', window: 'hour', threshold: { kind: 'absolute', count: 4 }, sheet: '', plannedEventFactor: 2 };

function setup(indicators: Indicator[]) {
  const store = Store.open(tempDir());
  const bus = new EventBus();
  const calendar = new CalendarService(store, CalendarConfig.parse({}), bus);
  const service = new IndicatorService(store, bus, () => districts, indicators, undefined, calendar);
  let n = 0;
  const incidents = (count: number, at: number, where: [number, number] = STADIUM) => {
    const features = Array.from({ length: count }, () => incidentFeature(`i${n++}`, { occurredAt: new Date(at).toISOString() }, where));
    storeAndPublish({ store, bus }, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection(features), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: at }), at);
  };
  for (let k = 1; k <= 8; k++) incidents(1, NOW - k * WEEK - 10 * 60_000);
  const plan = (fields: Partial<PlannedEventFields>) =>
    calendar.save(supervisor, undefined, { title: 'OM – PSG', kind: 'match', start: NOW - 2 * HOUR, end: NOW + 2 * HOUR, attendance: 60_000, place: { type: 'Point', coordinates: STADIUM }, ...fields } as PlannedEventFields);
  return { service, incidents, plan };
}

describe('planned events as indicator inputs', () => {
  it('a match in the district doubles the threshold (the indicator says so) and the reading names the match', () => {
    const { service, incidents, plan } = setup([fights]);
    const match = plan({});
    incidents(5, NOW - 20 * 60_000);
    const reading = service.readings(NOW).find((r) => r.district === 'Sainte-Marguerite')!;
    expect(reading).toMatchObject({ count: 5, above: false, thresholdFactor: 2, planned: [{ id: match.id, title: 'OM – PSG', kind: 'match', attendance: 60_000 }] });
    expect(service.evaluate(NOW)).toEqual([]);
    // Twice the usual threshold is still news: the alert names the match and the factor it applied.
    incidents(3, NOW - 10 * 60_000);
    const [alert] = service.evaluate(NOW);
    expect(alert).toMatchObject({ district: 'Sainte-Marguerite', count: 8, thresholdFactor: 2, planned: [{ title: 'OM – PSG' }] });
  });

  it('without a factor the threshold stays, and the alert still names the event', () => {
    const { service, incidents, plan } = setup([{ ...fights, plannedEventFactor: undefined }]);
    plan({});
    incidents(5, NOW - 20 * 60_000);
    const [alert] = service.evaluate(NOW);
    expect(alert).toMatchObject({ count: 5, thresholdFactor: 1, planned: [{ title: 'OM – PSG' }] });
  });

  it('roadworks, an event in another district, or one outside the window change nothing', () => {
    const { service, incidents, plan } = setup([fights]);
    plan({ title: 'Travaux bd Michelet', kind: 'roadworks' });
    plan({ title: 'Marché du Rouet', kind: 'market', place: { type: 'Point', coordinates: [5.395, 43.275] } });
    plan({ title: 'Match de la veille', start: NOW - 26 * HOUR, end: NOW - 22 * HOUR });
    incidents(5, NOW - 20 * 60_000);
    const reading = service.readings(NOW).find((r) => r.district === 'Sainte-Marguerite')!;
    expect(reading.thresholdFactor).toBe(1);
    expect(reading.planned.map((p) => p.title)).toEqual(['Travaux bd Michelet']);
    expect(service.evaluate(NOW)).toHaveLength(1);
  });

  it('a polygon event touching the district counts, even when its centre is outside', () => {
    const { service, incidents, plan } = setup([fights]);
    // A fan zone straddling the two districts' shared edge, mostly in Rouet.
    plan({ title: 'Fan zone', kind: 'public_event', place: { type: 'Polygon', coordinates: [[[5.392, 43.2695], [5.398, 43.2695], [5.398, 43.276], [5.392, 43.276], [5.392, 43.2695]]] } });
    incidents(5, NOW - 20 * 60_000);
    expect(service.readings(NOW).find((r) => r.district === 'Sainte-Marguerite')).toMatchObject({ thresholdFactor: 2, planned: [{ title: 'Fan zone' }] });
  });
});
