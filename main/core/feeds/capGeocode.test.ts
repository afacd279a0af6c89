import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeedRecordOf } from '../../../common/domain/feedRecord';
import { insidePolygon } from '../../../common/geo/distance';
import { geocodeRings } from '../../../common/geo/geocodeAreas';
import { loadCityPack } from '../city/cityPack';
import { capAdapter } from './cap';
import { fixture, hasSharedData, SHARED_DATA, SHARED_NOTE, sharedFeed } from './fixtures/sharedData';

/** An alert that names its area by INSEE codes only, as French prefecture alerts do. */
const alert = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>PREF13-2026-0042</identifier><sender>pref13</sender><sent>2026-11-28T09:00:00+01:00</sent>
<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><language>fr-FR</language><category>Safety</category><event>Rassemblement interdit</event><urgency>Expected</urgency><severity>Moderate</severity><certainty>Likely</certainty>
<area><areaDesc>Marseille 1er et 7e arrondissements</areaDesc>
<geocode><valueName>INSEE</valueName><value>13201</value></geocode><geocode><valueName>INSEE</valueName><value>13207</value></geocode></area></info></alert>`;

describe('CAP alerts with geocodes and no polygon', () => {
  const record = capAdapter.parse(alert, { feedId: 'pref', config: {}, receivedAt: Date.UTC(2026, 10, 28, 9) }).records[0] as FeedRecordOf<'alert'>;

  it('are listed with their area text and codes', () => {
    expect(record).toMatchObject({ areaDesc: 'Marseille 1er et 7e arrondissements', polygons: [], geocodes: [{ valueName: 'INSEE', value: '13201' }, { valueName: 'INSEE', value: '13207' }] });
  });

  it(`are drawn with the city pack's quartiers of those INSEE arrondissements${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData) skip();
    const rings = geocodeRings(record.geocodes, loadCityPack().districts.features as never);
    // Counted from the open-data file itself, not through the pack.
    const quartiers = JSON.parse(fs.readFileSync(path.join(SHARED_DATA, 'marseille/quartiers_111.geojson'), 'utf8')) as { features: { properties: { depco: string }; geometry: { type: string } }[] };
    const expected = quartiers.features.filter((f) => ['13201', '13207'].includes(String(f.properties.depco))).reduce((n, f) => n + (f.geometry.type === 'MultiPolygon' ? 0 : 1), 0);
    expect(rings.length).toBeGreaterThanOrEqual(expected);
    expect(rings.length).toBeGreaterThan(5);
    // La Canebière at the Bourse (1er) lies in one of them; the Prado beach (8e) in none.
    expect(rings.some((r) => insidePolygon(5.3770, 43.2975, r))).toBe(true);
    expect(rings.some((r) => insidePolygon(5.3730, 43.2600, r))).toBe(false);
  });

  it(`the OASIS CAP 1.2 Amber alert (SAME 006037, Los Angeles County) is drawn where a pack has that county, and only listed in Marseille${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData) skip();
    const amber = capAdapter.parse(sharedFeed('cap/cap_amber_alert_example.xml'), { feedId: 'oasis', config: { languages: ['en'] }, receivedAt: Date.UTC(2003, 5, 12) }).records as FeedRecordOf<'alert'>[];
    expect(amber.map((a) => [a.areaDesc, a.geocodes])).toEqual([['Los Angeles County', [{ valueName: 'SAME', value: '006037' }]]]);
    expect(geocodeRings(amber[0]!.geocodes, loadCityPack().districts.features as never)).toEqual([]);
    const la = { geometry: { type: 'Polygon', coordinates: [[[-118.9, 33.7], [-117.6, 33.7], [-117.6, 34.8], [-118.9, 34.8], [-118.9, 33.7]]] }, properties: { name: 'Los Angeles', fips: '06037' } };
    expect(geocodeRings(amber[0]!.geocodes, [la])).toEqual([la.geometry.coordinates[0]]);
  });

  it('match NWS UGC and FIPS6 codes (leading zeros aside) where a pack has them, and nothing it does not have', () => {
    const square = (lon: number, lat: number) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]] });
    const pack = [
      { geometry: square(-97.5, 32.7), properties: { name: 'Tarrant', ugc: 'TXC439', fips: '48439' } },
      { geometry: square(-106.5, 31.7), properties: { name: 'El Paso', ugc: 'TXZ055' } },
    ];
    const nws = capAdapter.parse(fixture('nws_cap11_index.atom'), { feedId: 'nws', config: {}, receivedAt: Date.UTC(2024, 9, 17, 11, 30) }).records as FeedRecordOf<'alert'>[];
    const fire = nws.find((a) => a.event === 'Fire Weather Watch')!;
    expect(geocodeRings(fire.geocodes, pack)).toEqual([pack[1]!.geometry.coordinates[0]]);
    expect(geocodeRings([{ valueName: 'FIPS6', value: '048439' }], pack)).toEqual([pack[0]!.geometry.coordinates[0]]);
    expect(geocodeRings([{ valueName: 'UGC', value: 'TXZ999' }], pack)).toEqual([]);
  });

  it('reads a code system named as what every object inherits as a property name like any other (it threw a TypeError)', () => {
    const ring = [[5.37, 43.29], [5.38, 43.29], [5.38, 43.3], [5.37, 43.29]];
    const area = { geometry: { type: 'Polygon', coordinates: [ring] }, properties: { constructor: '13201' } };
    expect(geocodeRings([{ valueName: 'Constructor', value: '13201' }, { valueName: 'toString', value: '1' }, { valueName: '__proto__', value: '1' }], [area])).toEqual([ring]);
  });
});
