import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { FeedRecord, type FeedRecordOf } from '../../../common/domain/feedRecord';
import type { ParseContext, ParseResult } from './adapter';
import { gtfsRealtimeAdapter, type GtfsRealtimeConfig } from './gtfsRealtime';
import { encodeVehiclePositions } from './gtfsRealtimeEncode';
import { fixture, hasSharedData, SHARED_DATA, SHARED_NOTE, sharedFeed } from './fixtures/sharedData';

// The oracle: protobufjs reading the official gtfs-realtime.proto (google/transit, Apache-2.0), not our decoder's tables.
const root = protobuf.parse(fixture('gtfs-realtime.proto')).root;
const rt = {
  FeedMessage: root.lookupType('transit_realtime.FeedMessage'),
  FeedEntity: root.lookupType('transit_realtime.FeedEntity'),
  FeedHeader: root.lookupType('transit_realtime.FeedHeader'),
  Position: root.lookupType('transit_realtime.Position'),
};
const RECEIVED = Date.UTC(2025, 6, 2, 6, 20);
const ctx = (config: GtfsRealtimeConfig = {}, receivedAt = RECEIVED, stops?: Map<string, [number, number]>): ParseContext<GtfsRealtimeConfig> => ({ feedId: 'gtfs', config, receivedAt, ...(stops ? { stops } : {}) });
const units = (res: ParseResult): FeedRecordOf<'unit'>[] => res.records.filter((r): r is FeedRecordOf<'unit'> => r.kind === 'unit');
const alerts = (res: ParseResult): FeedRecordOf<'alert'>[] => res.records.filter((r): r is FeedRecordOf<'alert'> => r.kind === 'alert');
const T0 = Math.floor(RECEIVED / 1000) - 30;

function encode(message: object): Uint8Array {
  return rt.FeedMessage.encode(rt.FeedMessage.fromObject(message)).finish();
}
const header = { gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: T0 };
const bus = (id: string, extra: object = {}): object => ({
  id: `e-${id}`,
  vehicle: {
    trip: { tripId: `trip-${id}`, routeId: 'M1' }, vehicle: { id, label: `Bus ${id}`, licensePlate: 'AB-123-CD' },
    position: { latitude: 43.3, longitude: 5.4, bearing: 270, speed: 8.5 }, currentStatus: 'STOPPED_AT', timestamp: T0, ...extra,
  },
});

/** Protobuf length-delimited field, to build messages the generated encoder would refuse to write. */
function field(tag: number, body: Uint8Array): Uint8Array {
  const out = [(tag << 3) | 2];
  for (let n = body.length; ; n >>>= 7) { if (n < 0x80) { out.push(n); break; } out.push((n & 0x7f) | 0x80); }
  return Uint8Array.from([...out, ...body]);
}

describe('GTFS-realtime VehiclePositions adapter', () => {
  it(`reads the King County Metro excerpt as JSON and as protobuf${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData) skip();
    const json = sharedFeed('gtfs-rt/king_county_metro_vehiclepositions_excerpt.json');
    const fromJson = gtfsRealtimeAdapter.parse(json, ctx());
    expect(fromJson.errors).toEqual([]);
    expect(units(fromJson)[0]).toEqual({
      kind: 'unit', unitId: '4356', callsign: '4356', unitType: 'transit', lon: -122.337669, lat: 47.60961,
      t: 1751437084000, status: 'in_transit_to', routeId: '100001',
    });
    // The same message as the agency serves it: protobuf bytes.
    const camel = JSON.parse(json.replace(/"(\w+)":/g, (_m, k: string) => `"${k.replace(/_([a-z])/g, (_s, c: string) => c.toUpperCase())}":`));
    const fromProtobuf = gtfsRealtimeAdapter.parse(encode(camel), ctx());
    expect(fromProtobuf.errors).toEqual([]);
    // Positions are float32 in protobuf: equal to about 1e-5 degrees (a metre).
    expect(units(fromProtobuf).map((u) => u.unitId)).toEqual(['4356', '4311', '4372']);
    expect(units(fromProtobuf).map((u) => u.routeId)).toEqual(['100001', '100001', '100002']);
    units(fromProtobuf).forEach((u, i) => expect(u.lat).toBeCloseTo(units(fromJson)[i]?.lat ?? 0, 5));
  });

  it(`the simulator's encoder writes what protobufjs reads from the official .proto${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData) skip();
    const sample = JSON.parse(sharedFeed('gtfs-rt/king_county_metro_vehiclepositions_excerpt.json')) as { entity: { vehicle: { vehicle: { id: string }; position: { latitude: number; longitude: number }; timestamp: number; trip: { route_id: string } } }[] };
    const bytes = encodeVehiclePositions({ header: { timestamp: T0 }, entity: sample.entity.map((e, i) => ({ id: `e${i}`, vehicle: { vehicle: { id: e.vehicle.vehicle.id }, trip: { routeId: e.vehicle.trip.route_id }, position: e.vehicle.position, currentStatus: 'STOPPED_AT', timestamp: e.vehicle.timestamp } })) });
    const decoded = rt.FeedMessage.toObject(rt.FeedMessage.decode(bytes), { enums: String, longs: Number }) as { header: { gtfsRealtimeVersion: string }; entity: { vehicle: { vehicle: { id: string }; trip: { routeId: string }; currentStatus: string } }[] };
    expect(decoded.header.gtfsRealtimeVersion).toBe('2.0');
    expect(decoded.entity.map((e) => [e.vehicle.vehicle.id, e.vehicle.trip.routeId, e.vehicle.currentStatus])).toEqual([['4356', '100001', 'STOPPED_AT'], ['4311', '100001', 'STOPPED_AT'], ['4372', '100002', 'STOPPED_AT']]);
  });

  it('carries the route and the occupancy on the unit', () => {
    const res = gtfsRealtimeAdapter.parse(encode({ header, entity: [bus('9', { occupancyStatus: 'STANDING_ROOM_ONLY' }), bus('10', { occupancyStatus: 'FULL', trip: { routeId: 'T2' } })] }), ctx());
    expect(units(res).map((u) => [u.unitId, u.routeId, u.occupancy])).toEqual([['9', 'M1', 'standing_room_only'], ['10', 'T2', 'full']]);
    for (const u of units(res)) expect(FeedRecord.safeParse(u).success).toBe(true);
  });

  it('turns vehicle positions into unit positions, without the licence plate', () => {
    const res = gtfsRealtimeAdapter.parse(encode({ header, entity: [bus('101'), { id: 'tu', tripUpdate: { trip: { tripId: 't' } } }, { ...bus('102'), isDeleted: true }] }), ctx());
    expect(res.errors).toEqual([]);
    expect(units(res)).toEqual([{
      kind: 'unit', unitId: '101', callsign: 'Bus 101', unitType: 'transit', lon: expect.closeTo(5.4, 5), lat: expect.closeTo(43.3, 5),
      heading: 270, speed: 8.5, t: T0 * 1000, status: 'stopped_at', routeId: 'M1',
    }]);
    expect(JSON.stringify(res.records)).not.toContain('AB-123-CD');
  });

  it('uses the header time for vehicles without their own, and normalises negative bearings', () => {
    const res = gtfsRealtimeAdapter.parse(encode({ header, entity: [bus('7', { timestamp: undefined, position: { latitude: 43.3, longitude: 5.4, bearing: -90 } })] }), ctx());
    expect(units(res)[0]).toMatchObject({ t: T0 * 1000, heading: 270 });
  });

  it('keeps only the configured routes', () => {
    const res = gtfsRealtimeAdapter.parse(encode({ header, entity: [bus('1'), bus('2', { trip: { tripId: 'x', routeId: 'B2' } })] }), ctx({ routes: ['B2'] }));
    expect(units(res).map((u) => u.unitId)).toEqual(['2']);
  });

  it.each([
    ['no position', { position: null }, /^entity 1: vehicle\.position: missing/],
    ['latitude out of range', { position: { latitude: 143.3, longitude: 5.4 } }, /^entity 1: vehicle\.position\.latitude: 143\.3\d* is outside -90…90/],
    ['no GPS fix', { position: { latitude: 0, longitude: 0 } }, /^entity 1: vehicle\.position: is 0,0/],
    ['timestamp in milliseconds', { timestamp: T0 * 1000 }, /^entity 1: vehicle\.timestamp: .* too far in the future/],
    ['negative speed', { position: { latitude: 43.3, longitude: 5.4, speed: -3 } }, /^entity 1: vehicle\.position\.speed: -3 is not a speed/],
    ['no identity at all', { vehicle: null }, /^entity 1: vehicle\.vehicle\.id: missing/],
  ])('%s: that entity is quarantined, the others kept', (_name, extra, reason) => {
    const bad = bus('bad', extra) as { id?: string };
    if (_name === 'no identity at all') bad.id = '';
    const res = gtfsRealtimeAdapter.parse(encode({ header, entity: [bus('ok'), bad] }), ctx());
    expect(units(res).map((u) => u.unitId)).toEqual(['ok']);
    expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
    expect(res.errors[0]?.raw).toMatch(/^base64:/);
  });

  it('isolates an entity whose position lacks the required latitude, keeping the others', () => {
    const good = rt.FeedEntity.encode(rt.FeedEntity.fromObject(bus('ok'))).finish();
    const position = rt.Position.encode({ latitude: 1, longitude: 5 }).finish().subarray(5); // drop field 1 (tag + float32)
    const broken = Uint8Array.from([...field(1, new TextEncoder().encode('broken')), ...field(4, field(2, position))]);
    const message = Uint8Array.from([...field(1, rt.FeedHeader.encode(rt.FeedHeader.fromObject(header)).finish()), ...field(2, good), ...field(2, broken)]);
    const res = gtfsRealtimeAdapter.parse(message, ctx());
    expect(units(res).map((u) => u.unitId)).toEqual(['ok']);
    expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/^entity 1: .*missing required 'latitude'/)]);
  });

  it('reads JSON with wrong types entity by entity', () => {
    const json = JSON.stringify({ header: { gtfs_realtime_version: '2.0', timestamp: T0 }, entity: [
      { id: 'a', vehicle: { vehicle: { id: 'A' }, position: { latitude: 43.3, longitude: 5.4 } } },
      { id: 'b', vehicle: { vehicle: { id: 'B' }, position: { latitude: 'north', longitude: 5.4 } } },
      'garbage',
      { id: 'c', vehicle: { vehicle: { id: 'C' }, position: { longitude: 5.4 } } },
    ] });
    const res = gtfsRealtimeAdapter.parse(json, ctx());
    expect(units(res).map((u) => u.unitId)).toEqual(['A']);
    expect(res.errors.map((e) => e.reason)).toEqual([
      'entity 1: vehicle.position: latitude or longitude is not a number',
      "entity 2: entity: 'garbage' is not an object",
      'entity 3: vehicle.position.latitude: missing',
    ]);
  });

  it.each([
    ['empty bytes', new Uint8Array(0), /empty payload/],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), /not a GTFS-realtime FeedMessage|header/],
    ['a message without header', field(2, rt.FeedEntity.encode(rt.FeedEntity.fromObject(bus('x'))).finish()), /no header/],
    ['text that is not JSON', 'HTTP/1.1 502 Bad Gateway', /protobuf must be handed over as bytes/],
    ['truncated JSON', '{"header": {"gtfs_realtime_version": "2.0"', /not readable as JSON/],
    ['JSON without header', '{"entity": []}', /^header: missing/],
  ])('refuses %s as one ParseError', (_name, input, reason) => {
    const res = gtfsRealtimeAdapter.parse(input, ctx());
    expect(res.records).toEqual([]);
    expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
  });

  it('never throws on 400 truncated or bit-flipped messages', () => {
    const valid = encode({ header, entity: [bus('1'), bus('2'), bus('3')] });
    let state = 12345;
    const rand = (n: number): number => { state = (state * 1103515245 + 12345) >>> 0; return state % n; };
    for (let k = 0; k < 400; k++) {
      const damaged = k % 2 === 0 ? valid.slice(0, rand(valid.length)) : valid.map((b, i) => (i === rand(valid.length) ? b ^ (1 << rand(8)) : b));
      let res: ParseResult | undefined;
      expect(() => { res = gtfsRealtimeAdapter.parse(damaged, ctx()); }).not.toThrow();
      for (const e of res?.errors ?? []) expect(e.reason).not.toMatch(/internal adapter error/);
    }
  });

  it('reads 100,000 vehicles quickly, each a valid unit record', () => {
    const message = encode({ header, entity: Array.from({ length: 100_000 }, (_, i) => bus(String(i))) });
    const t0 = performance.now();
    const res = gtfsRealtimeAdapter.parse(message, ctx());
    const ms = performance.now() - t0;
    expect(res.records).toHaveLength(100_000);
    // About 0.5 s on an idle 2-core machine; the bound leaves room for a loaded CI runner.
    // Guards against quadratic blow-up (100× slower), not a speed target: generous for loaded machines.
    expect(ms).toBeLessThan(16_000);
    // The adapter skips zod on this hot path, so check here that what it builds is valid.
    for (const r of res.records.slice(0, 1000)) expect(FeedRecord.safeParse(r).success).toBe(true);
  }, 30_000);
  describe('service alerts', () => {
    const H = Math.floor(RECEIVED / 1000);
    const demonstration = {
      id: 'alert-42',
      alert: {
        activePeriod: [{ start: H - 600, end: H + 3600 }],
        informedEntity: [{ routeId: 'RTM-116' }, { stopId: 'RTM-00002275' }, { stopId: 'NOT-IN-PACK' }],
        cause: 'DEMONSTRATION', effect: 'NO_SERVICE', severityLevel: 'SEVERE',
        headerText: { translation: [{ text: 'M1 interrompu à La Rose', language: 'fr' }, { text: 'M1 stopped at La Rose', language: 'en' }] },
        descriptionText: { translation: [{ text: 'Manifestation sur le parvis.', language: 'fr' }, { text: 'Demonstration outside the station.', language: 'en' }] },
      },
    };
    // La Rose as the RTM GTFS stops.txt places it (../shared/data/marseille/rtm_metro_gtfs).
    const stops = new Map<string, [number, number]>([['RTM-00002275', [5.4296345, 43.333138]]]);

    it('become alerts with period, cause, effect, informed routes and stops, every translation, placed at known stops', () => {
      const res = gtfsRealtimeAdapter.parse(encode({ header, entity: [demonstration, bus('1')] }), ctx({}, RECEIVED, stops));
      expect(res.errors).toEqual([]);
      expect(units(res)).toHaveLength(1);
      const [a] = alerts(res);
      expect(a).toMatchObject({
        externalId: 'gtfs-rt:alert-42', alertId: 'alert-42', msgType: 'Alert', status: 'Actual', severity: 'Severe', urgency: 'Immediate',
        effective: (H - 600) * 1000, expires: (H + 3600) * 1000, language: 'fr', headline: 'M1 interrompu à La Rose', description: 'Manifestation sur le parvis.',
        circles: [{ lon: 5.4296345, lat: 43.333138, radiusM: 40 }], polygons: [],
        transit: { cause: 'demonstration', effect: 'no_service', routes: ['RTM-116'], stops: ['RTM-00002275', 'NOT-IN-PACK'], unplacedStops: ['NOT-IN-PACK'], activePeriods: [{ start: (H - 600) * 1000, end: (H + 3600) * 1000 }] },
      });
      expect(a?.translations).toEqual([
        { language: 'fr', headline: 'M1 interrompu à La Rose', description: 'Manifestation sur le parvis.' },
        { language: 'en', headline: 'M1 stopped at La Rose', description: 'Demonstration outside the station.' },
      ]);
      expect(FeedRecord.safeParse(a).success).toBe(true);
    });

    it('without a city pack stop, the alert is listed with its stops and no place', () => {
      const [a] = alerts(gtfsRealtimeAdapter.parse(encode({ header, entity: [demonstration] }), ctx()));
      expect(a?.circles).toEqual([]);
      expect(a?.areaDesc).toBe('routes RTM-116; stops RTM-00002275, NOT-IN-PACK');
    });

    it('an alert-only feed is not a silent zero: the JSON rendering reads the same', () => {
      const json = JSON.stringify({ header: { gtfs_realtime_version: '2.0', timestamp: T0 }, entity: [{ id: 'a1', alert: { active_period: [{ start: H + 3600 }], informed_entity: [{ route_id: 'T3' }], cause: 'CONSTRUCTION', effect: 'DETOUR', header_text: { translation: [{ text: 'Works' }] } } }] });
      const res = gtfsRealtimeAdapter.parse(json, ctx());
      expect(res.errors).toEqual([]);
      expect(alerts(res)).toEqual([expect.objectContaining({ headline: 'Works', urgency: 'Future', effective: (H + 3600) * 1000, transit: expect.objectContaining({ cause: 'construction', effect: 'detour', routes: ['T3'] }) })]);
      expect(alerts(res)[0]).not.toHaveProperty('expires');
    });

    it(`packStops reads the stops the city pack places${SHARED_NOTE}`, async ({ skip }) => {
      if (!hasSharedData) skip();
      const { packStops } = await import('../city/cityPack');
      const known = packStops();
      const line = readFileSync(join(SHARED_DATA, 'marseille/rtm_metro_gtfs/stops.txt'), 'utf8').split(/\r?\n/).find((l) => l.startsWith('RTM-00002275,'))!.split(',');
      expect(known.get('RTM-00002275')).toEqual([Number(line[5]), Number(line[4])]);
      expect(known.size).toBe(61);
    });
  });

  describe('trip updates', () => {
    const trip = (id: string, routeId: string | undefined, update: object): object => ({ id, tripUpdate: { trip: { tripId: id, ...(routeId ? { routeId } : {}) }, ...update } });
    const entity = [
      trip('t1', 'M1', { delay: 600 }),
      trip('t2', 'M1', { stopTimeUpdate: [{ stopId: 'a', arrival: { delay: 60 } }, { stopId: 'b', departure: { delay: 420 } }] }),
      trip('t3', 'M1', { delay: 30 }),
      trip('t4', 'M2', { delay: 0 }),
      trip('t5', undefined, { delay: 900 }),
    ];

    it('give a delay summary per route with late trips', () => {
      const res = gtfsRealtimeAdapter.parse(encode({ header, entity }), ctx());
      expect(res.errors).toEqual([]);
      expect(alerts(res).map((a) => [a.alertId, a.headline])).toEqual([['trip-delays:M1', 'Route M1: 2 of 3 trips 5+ min late, worst 10 min']]);
      expect(res.ignored).toEqual({ 'TripUpdates without route_id': 1 });
      for (const a of alerts(res)) expect(FeedRecord.safeParse(a).success).toBe(true);
    });

    it('or are counted as ignored when the feed says so', () => {
      const res = gtfsRealtimeAdapter.parse(encode({ header, entity }), ctx({ tripUpdates: 'ignore' }));
      expect(res.records).toEqual([]);
      expect(res.ignored).toEqual({ TripUpdates: 5 });
    });
  });
});
