/**
 * TAK Protocol Version 1, as current ATAK, iTAK, WinTAK and TAK Server send it: a protobuf
 * TakMessage behind a small header (TAK's published protocol.txt and .proto files,
 * atakmap.commoncommo.protobuf.v1):
 * - mesh (UDP datagrams, one-shot TCP): `0xbf <version varint> 0xbf <TakMessage>`;
 * - streaming (TAK Server TCP/TLS): `0xbf <length varint> <TakMessage>`, one after another.
 * Only the fields Vigie shows are read; the rest is skipped.
 */
import { fail } from './fieldValues';
import { ProtoReader, readVarint } from './protobuf';

export const TAK_MAGIC = 0xbf;

export interface TakDetail {
  /** Detail elements the sender kept as XML (everything without a protobuf message of its own). */
  xmlDetail?: string;
  contact?: { endpoint?: string; callsign?: string };
  group?: { name?: string; role?: string };
  status?: { battery?: number };
  takv?: { device?: string; platform?: string; os?: string; version?: string };
  track?: { speed?: number; course?: number };
}

export interface TakCotEvent {
  type?: string;
  uid?: string;
  how?: string;
  /** Milliseconds since the epoch ("timeMs" in the .proto). */
  sendTime?: number;
  startTime?: number;
  staleTime?: number;
  lat?: number;
  lon?: number;
  detail?: TakDetail;
}

export interface TakMessage {
  takControl?: { minProtoVersion?: number; maxProtoVersion?: number; contactUid?: string };
  cotEvent?: TakCotEvent;
}

export type TakFrame =
  | { framing: 'mesh'; version: number; payload: Uint8Array }
  | { framing: 'stream'; payload: Uint8Array };

/**
 * The framing of one message that starts with 0xbf. `bf 01 bf` is mesh: a streaming payload of
 * one byte cannot be a TakMessage (0xbf is not a whole protobuf key), so the two never collide.
 */
export function takFrame(bytes: Uint8Array): TakFrame {
  if (bytes[0] !== TAK_MAGIC) fail('header', 'does not start with 0xbf: not a TAK protocol message');
  const v = readVarint(bytes, 1);
  if (!v) fail('header', 'the varint after 0xbf is cut off');
  if (bytes[v.next] === TAK_MAGIC && v.value !== bytes.length - v.next) {
    if (v.value !== 1) fail('header', `TAK protocol version ${v.value}; Vigie reads version 1 (and CoT XML, version 0)`);
    return { framing: 'mesh', version: v.value, payload: bytes.subarray(v.next + 1) };
  }
  if (v.next + v.value !== bytes.length) {
    fail('header', `streaming header says ${v.value} bytes, ${bytes.length - v.next} arrived`);
  }
  return { framing: 'stream', payload: bytes.subarray(v.next) };
}

/**
 * Where the next streaming message ends in `buf` (from 0), or 'more' when its header or body has
 * not all arrived; undefined when `buf` does not start with a streaming header.
 */
export function streamFrameLength(buf: Uint8Array): { header: number; length: number } | 'more' | undefined {
  if (buf[0] !== TAK_MAGIC) return undefined;
  const v = readVarint(buf, 1);
  if (!v) return buf.length < 11 ? 'more' : undefined;
  return { header: v.next, length: v.value };
}

type Read<T> = (tag: number, obj: T, r: ProtoReader) => void;

const readContact: Read<NonNullable<TakDetail['contact']>> = (tag, o, r) => {
  if (tag === 1) o.endpoint = r.string('contact.endpoint');
  else if (tag === 2) o.callsign = r.string('contact.callsign');
};
const readGroup: Read<NonNullable<TakDetail['group']>> = (tag, o, r) => {
  if (tag === 1) o.name = r.string('group.name');
  else if (tag === 2) o.role = r.string('group.role');
};
const readStatus: Read<NonNullable<TakDetail['status']>> = (tag, o, r) => {
  if (tag === 1) o.battery = r.uint('status.battery');
};
const readTakv: Read<NonNullable<TakDetail['takv']>> = (tag, o, r) => {
  if (tag === 1) o.device = r.string('takv.device');
  else if (tag === 2) o.platform = r.string('takv.platform');
  else if (tag === 3) o.os = r.string('takv.os');
  else if (tag === 4) o.version = r.string('takv.version');
};
const readTrack: Read<NonNullable<TakDetail['track']>> = (tag, o, r) => {
  if (tag === 1) o.speed = r.double('track.speed');
  else if (tag === 2) o.course = r.double('track.course');
};
const readDetail: Read<TakDetail> = (tag, d, r) => {
  if (tag === 1) d.xmlDetail = r.string('detail.xmlDetail');
  else if (tag === 2) d.contact = r.message('detail.contact', readContact, {});
  else if (tag === 3) d.group = r.message('detail.group', readGroup, {});
  // 4 precisionLocation (geopointsrc, altsrc): not shown.
  else if (tag === 5) d.status = r.message('detail.status', readStatus, {});
  else if (tag === 6) d.takv = r.message('detail.takv', readTakv, {});
  else if (tag === 7) d.track = r.message('detail.track', readTrack, {});
};
const readCotEvent: Read<TakCotEvent> = (tag, e, r) => {
  if (tag === 1) e.type = r.string('cotEvent.type');
  else if (tag === 5) e.uid = r.string('cotEvent.uid');
  else if (tag === 6) e.sendTime = r.uint('cotEvent.sendTime');
  else if (tag === 7) e.startTime = r.uint('cotEvent.startTime');
  else if (tag === 8) e.staleTime = r.uint('cotEvent.staleTime');
  else if (tag === 9) e.how = r.string('cotEvent.how');
  else if (tag === 10) e.lat = r.double('cotEvent.lat');
  else if (tag === 11) e.lon = r.double('cotEvent.lon');
  else if (tag === 15) e.detail = r.message('cotEvent.detail', readDetail, {});
};
const readTakMessage: Read<TakMessage> = (tag, m, r) => {
  if (tag === 1) {
    m.takControl = r.message<NonNullable<TakMessage['takControl']>>('takControl', (tg, o, rr) => {
      if (tg === 1) o.minProtoVersion = rr.uint('takControl.minProtoVersion');
      else if (tg === 2) o.maxProtoVersion = rr.uint('takControl.maxProtoVersion');
      else if (tg === 3) o.contactUid = rr.string('takControl.contactUid');
    }, {});
  } else if (tag === 2) m.cotEvent = r.message('cotEvent', readCotEvent, {});
};

export function decodeTakMessage(payload: Uint8Array): TakMessage {
  return new ProtoReader(payload).read(readTakMessage, {});
}
