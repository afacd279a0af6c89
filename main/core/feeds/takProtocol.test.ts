import dgram from 'node:dgram';
import net from 'node:net';
import protobuf from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedRecord, type FeedRecordOf } from '../../../common/domain/feedRecord';
import { EventBus } from '../bus';
import { FeedConfig, type FeedConfigInput } from '../config';
import { Store } from '../store';
import { cotAdapter } from './cot';
import { fixture } from './fixtures/sharedData';
import { createRunner } from './scheduler';
import type { TcpListenerFeed, UdpListenerFeed } from './transports/listeners';
import { tempDir } from '../../../test/helpers';
import { waitFor } from '../../../test/feedServers';

// The oracle: protobufjs encoding from TAK's .proto definitions, not our decoder's field tables.
const root = protobuf.parse(fixture('tak/takproto-v1.proto'), { keepCase: true }).root;
const TakMessage = root.lookupType('atakmap.commoncommo.protobuf.v1.TakMessage');

const encode = (message: object): Uint8Array => TakMessage.encode(TakMessage.fromObject(message)).finish();
/** Mesh framing (UDP, one-shot TCP): 0xbf, protocol version 1 as a varint, 0xbf, the TakMessage. */
const mesh = (message: object): Buffer => Buffer.concat([Buffer.from([0xbf, 0x01, 0xbf]), encode(message)]);
/** Streaming framing (TAK Server TCP): 0xbf, the payload length as a varint (protobufjs's writer), the TakMessage. */
const stream = (message: object): Buffer => {
  const payload = encode(message);
  return Buffer.concat([Buffer.from([0xbf]), protobuf.Writer.create().uint32(payload.length).finish(), payload]);
};

function position(uid: string, extra: { detail?: object; lat?: number; lon?: number; type?: string } = {}, now = Date.now()): object {
  return {
    takControl: { minProtoVersion: 1, maxProtoVersion: 1, contactUid: uid },
    cotEvent: {
      type: extra.type ?? 'a-f-G-U-C', uid, how: 'm-g', sendTime: now - 1000, startTime: now - 1000, staleTime: now + 120_000,
      lat: extra.lat ?? 43.2965, lon: extra.lon ?? 5.3698, hae: 20, ce: 5, le: 9_999_999,
      detail: extra.detail ?? {
        contact: { endpoint: '192.168.1.7:4242:tcp', callsign: `${uid}-CS` },
        group: { name: 'Cyan', role: 'Team Lead' },
        precisionLocation: { geopointsrc: 'GPS', altsrc: 'GPS' },
        status: { battery: 76 },
        takv: { device: 'SAMSUNG SM-G781B', platform: 'ATAK-CIV', os: '33', version: '5.1.0.4' },
        track: { speed: 1.5, course: 270 },
      },
    },
  };
}

const ctx = { feedId: 'tak', config: {}, receivedAt: Date.now() };
const units = (records: FeedRecord[]): FeedRecordOf<'unit'>[] => records.filter((r): r is FeedRecordOf<'unit'> => r.kind === 'unit');

describe('TAK Protocol Version 1 (protobuf) in the CoT adapter', () => {
  it('reads a mesh message with contact, group, status, takv and track, without the endpoint or the device model', () => {
    const res = cotAdapter.parse(mesh(position('ANDROID-1')), ctx);
    expect(res.errors).toEqual([]);
    expect(units(res.records)).toEqual([{
      kind: 'unit', unitId: 'ANDROID-1', callsign: 'ANDROID-1-CS', unitType: 'person', lon: 5.3698, lat: 43.2965, heading: 270, speed: 1.5,
      t: expect.any(Number), expiresAt: expect.any(Number), sourceType: 'a-f-G-U-C', team: 'Cyan', teamRole: 'Team Lead', battery: 76, client: 'ATAK-CIV 5.1.0.4',
    }]);
    expect(FeedRecord.safeParse(res.records[0]).success).toBe(true);
    expect(JSON.stringify(res.records)).not.toMatch(/192\.168|SM-G781B/);
  });

  it('reads the same message in streaming framing', () => {
    const res = cotAdapter.parse(stream(position('ANDROID-2')), ctx);
    expect(res.errors).toEqual([]);
    expect(units(res.records).map((u) => [u.unitId, u.callsign, u.team])).toEqual([['ANDROID-2', 'ANDROID-2-CS', 'Cyan']]);
  });

  it('falls back to xmlDetail for what has no protobuf message', () => {
    const xmlDetail = '<contact callsign="MEDIC 4" endpoint="*:-1:stcp"/><__group name="Red" role="Medic"/><status battery="41"/><track speed="3.2" course="45"/><takv platform="WinTAK-CIV" version="5.0"/>';
    const res = cotAdapter.parse(mesh(position('WIN-1', { detail: { xmlDetail } })), ctx);
    expect(res.errors).toEqual([]);
    expect(units(res.records)[0]).toMatchObject({ callsign: 'MEDIC 4', team: 'Red', teamRole: 'Medic', battery: 41, speed: 3.2, heading: 45, client: 'WinTAK-CIV 5.0' });
  });

  it('counts a TakControl-only message as ignored, not as an error', () => {
    const res = cotAdapter.parse(mesh({ takControl: { minProtoVersion: 1, maxProtoVersion: 1, contactUid: 'X' } }), ctx);
    expect(res).toEqual({ records: [], errors: [], ignored: { 'TAK control messages': 1 } });
  });

  it.each([
    ['a truncated TakMessage', (): Buffer => mesh(position('T')).subarray(0, 40), /^TAK protocol mesh message: TakMessage\.cotEvent: runs past the end/],
    ['a streaming header that does not match the bytes', (): Buffer => Buffer.concat([Buffer.from([0xbf, 0x7f]), encode(position('T'))]), /^TAK protocol: header: streaming header says 127 bytes/],
    ['an unknown protocol version', (): Buffer => Buffer.concat([Buffer.from([0xbf, 0x02, 0xbf]), encode(position('T'))]), /version 2; Vigie reads version 1/],
    ['an event without a time', (): Buffer => mesh({ cotEvent: { type: 'a-f-G', uid: 'x', lat: 1, lon: 1 } }), /cotEvent\.sendTime: missing/],
  ])('quarantines %s as base64 bytes, with a reason that says so', (_name, bytes, reason) => {
    const raw = bytes();
    const res = cotAdapter.parse(raw, ctx);
    expect(res.records).toEqual([]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]!.reason).toMatch(reason);
    expect(res.errors[0]!.reason).toMatch(/kept as base64/);
    expect(Buffer.from(res.errors[0]!.raw.replace(/^base64:/, ''), 'base64').equals(raw)).toBe(true);
  });

  it('never throws on 500 damaged messages', () => {
    const valid = mesh(position('FUZZ'));
    let state = 7;
    const rand = (n: number): number => { state = (state * 1103515245 + 12345) >>> 0; return state % n; };
    for (let k = 0; k < 500; k++) {
      const damaged = k % 2 === 0 ? valid.subarray(0, rand(valid.length)) : valid.map((b, i) => (i === rand(valid.length) || i === rand(valid.length) ? b ^ (1 << rand(8)) : b));
      const res = cotAdapter.parse(damaged, ctx);
      for (const e of res.errors) expect(e.reason).not.toMatch(/internal adapter error/);
    }
  });
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

function listen(config: FeedConfigInput) {
  const store = Store.open(tempDir());
  const feed = createRunner({ store, bus: new EventBus() }, FeedConfig.parse(config));
  feed.start();
  cleanups.push(() => store.close());
  cleanups.push(() => feed.stop());
  return { feed, store };
}

function xmlEvent(uid: string): string {
  const now = Date.now();
  const [time, stale] = [new Date(now - 1000).toISOString(), new Date(now + 120_000).toISOString()];
  return `<?xml version="1.0"?><event version="2.0" uid="${uid}" type="a-f-G-U-C" time="${time}" start="${time}" stale="${stale}" how="m-g"><point lat="43.3" lon="5.4" hae="0" ce="5" le="9999999"/><detail><contact callsign="${uid}"/></detail></event>`;
}

describe('TAK protocol on the real CoT listeners', () => {
  it('UDP: mesh datagrams and XML datagrams on one port; a bad datagram is quarantined as base64 and the listener stays up', async () => {
    const { feed, store } = listen({ id: 'tak-udp', type: 'cot', transport: 'udp', listen: { port: 0 } });
    const udp = feed as UdpListenerFeed;
    await waitFor(() => udp.port !== null, 5000, 'bound');
    const client = dgram.createSocket('udp4');
    cleanups.push(() => new Promise<void>((resolve) => client.close(() => resolve())));
    const send = (b: Buffer | string): void => void client.send(b, udp.port!, '127.0.0.1');
    const bad = Buffer.from([0xbf, 0x01, 0xbf, 0x12, 0x40, 0x0a, 0xff, 0xfe]);
    send(mesh(position('ATAK-1')));
    send(bad);
    send(xmlEvent('XML-1'));
    send(mesh(position('ATAK-2', { lat: 43.31 })));
    await waitFor(() => store.units.list().length === 3 && store.quarantine.count() === 1, 5000, 'three units and one quarantined datagram');
    const byId = Object.fromEntries(store.units.list().map((u) => [u.unitId, u]));
    expect(byId['ATAK-1']).toMatchObject({ callsign: 'ATAK-1-CS', heading: 270, speed: 1.5, team: 'Cyan', teamRole: 'Team Lead', battery: 76, client: 'ATAK-CIV 5.1.0.4' });
    expect(byId['ATAK-1']!.expiresAt).toBeGreaterThan(Date.now());
    expect(byId['ATAK-2']!.lat).toBeCloseTo(43.31, 9);
    expect(byId['XML-1']).toMatchObject({ callsign: 'XML-1' });
    const [q] = store.quarantine.list(10, 'tak-udp');
    expect(q!.reason).toMatch(/^TAK protocol mesh message: .*kept as base64/);
    expect(q!.raw).toBe(`base64:${bad.toString('base64')}`);
    expect(feed.status().state).not.toBe('failing');
  });

  it('TCP: streaming frames split anywhere and XML on one connection, a one-shot mesh connection, bad bytes quarantined as base64', async () => {
    const { feed, store } = listen({ id: 'tak-tcp', type: 'cot', transport: 'tcp', listen: { port: 0 } });
    const tcp = feed as TcpListenerFeed;
    await waitFor(() => tcp.port !== null, 5000, 'listening');

    const socket = net.connect(tcp.port!, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const bytes = Buffer.concat([stream(position('S-1')), Buffer.from(xmlEvent('S-XML')), stream(position('S-2')), stream(position('S-3', { detail: { contact: { callsign: 'Équipe été' } } }))]);
    // Written in uneven pieces, some a single byte, so that headers and bodies are cut anywhere.
    for (let i = 0, k = 1; i < bytes.length; i += k, k = (k * 7) % 23 + 1) socket.write(bytes.subarray(i, i + k));
    await waitFor(() => store.units.list().length === 4, 5000, 'four units from one stream');
    expect(Object.fromEntries(store.units.list().map((u) => [u.unitId, u.callsign]))).toEqual({ 'S-1': 'S-1-CS', 'S-XML': 'S-XML', 'S-2': 'S-2-CS', 'S-3': 'Équipe été' });

    // A directed one-shot message: connect, send one mesh message, close.
    const oneShot = net.connect(tcp.port!, '127.0.0.1', () => oneShot.end(mesh(position('MESH-TCP'))));
    await waitFor(() => store.units.list().some((u) => u.unitId === 'MESH-TCP'), 5000, 'the one-shot mesh message');

    // A damaged frame on a second connection costs that frame only; a good one after it still comes through.
    const damaged = stream(position('BROKEN'));
    damaged[damaged.length - 30] = 0xff;
    damaged[damaged.length - 29] = 0xff;
    const other = net.connect(tcp.port!, '127.0.0.1', () => other.write(Buffer.concat([damaged, stream(position('AFTER'))])));
    cleanups.push(() => void other.destroy());
    await waitFor(() => store.units.list().some((u) => u.unitId === 'AFTER') && store.quarantine.count() === 1, 5000, 'the frame after the damaged one');
    const [q] = store.quarantine.list(10, 'tak-tcp');
    expect(q!.reason).toMatch(/^TAK protocol streaming message: .*kept as base64/);
    expect(q!.raw).toBe(`base64:${damaged.toString('base64')}`);
    expect(store.units.list().some((u) => u.unitId === 'BROKEN')).toBe(false);
  });
});
