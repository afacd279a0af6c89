/**
 * A checked protobuf reader over `pbf`, shared by the GTFS-realtime and TAK adapters. `pbf` reads
 * fast but trusts its input: a length that runs past the end, or a field with the wrong wire type,
 * is silently misread. Feeds send damaged bytes, so every length and wire type is checked here and
 * a bad one throws a ProtoError naming the field, which the adapters turn into quarantine.
 */
import { Buffer } from 'node:buffer';
import { PbfReader } from 'pbf';
import { FieldError } from './fieldValues';

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

const WIRE_NAMES = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit'];

/** Damaged bytes: a data problem of one record (quarantined with this reason), not a bug of ours. */
export class ProtoError extends FieldError {}

export class ProtoReader {
  private readonly pbf: PbfReader;
  /** End of the message being read: a nested length must not run past it. */
  private end: number;

  constructor(bytes: Uint8Array) {
    this.pbf = new PbfReader(bytes);
    this.end = bytes.length;
  }

  /** Reads the whole buffer as one message. */
  read<T>(readField: (tag: number, obj: T, r: ProtoReader) => void, obj: T): T {
    return this.guard(() => this.fields(readField, obj, this.end));
  }

  /** pbf's own errors (a varint over 10 bytes, an unknown wire type) are damaged data too. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof FieldError) throw err;
      throw new ProtoError('message', `unreadable protobuf (${(err as Error).message})`);
    }
  }

  /** Reads bytes [start, end) of the buffer as one message: one reader for many entities of a feed. */
  readAt<T>(start: number, end: number, readField: (tag: number, obj: T, r: ProtoReader) => void, obj: T): T {
    this.pbf.pos = start;
    this.pbf.type = 0;
    (this.pbf as unknown as { _valueStart: number })._valueStart = -1;
    this.end = end;
    return this.guard(() => this.fields(readField, obj, end));
  }

  private fields<T>(readField: (tag: number, obj: T, r: ProtoReader) => void, obj: T, end: number): T {
    const outer = this.end;
    this.end = end;
    const pbf = this.pbf;
    let tag: number;
    while (pbf.pos < end) {
      const at = pbf.pos;
      tag = pbf.nextField(end);
      if (tag === 0) {
        if (pbf.pos < end) throw new ProtoError('message', `field number 0 at byte ${at} (not protobuf)`);
        break;
      }
      if (pbf.type === 3 || pbf.type === 4 || pbf.type > 5) throw new ProtoError('message', `wire type ${pbf.type} at byte ${at} (not protobuf)`);
      readField(tag, obj, this);
      // Unread fields are skipped by pbf on the next call; check that a skip cannot overrun either.
      if (pbf.type === LEN && pbf.pos === (pbf as unknown as { _valueStart: number })._valueStart) {
        const len = pbf.readVarint();
        if (pbf.pos + len > end) throw new ProtoError('message', `field ${tag} runs past the end of its message (truncated?)`);
        pbf.pos += len;
      }
    }
    if (pbf.pos !== end) throw new ProtoError('message', 'the last field runs past the end of its message (truncated?)');
    this.end = outer;
    return obj;
  }

  private expect(wire: number, name: string): void {
    if (this.pbf.type !== wire) throw new ProtoError(name, `${WIRE_NAMES[this.pbf.type] ?? this.pbf.type} field where ${WIRE_NAMES[wire]} was expected`);
  }

  private length(name: string): number {
    this.expect(LEN, name);
    const len = this.pbf.readVarint();
    if (this.pbf.pos + len > this.end) throw new ProtoError(name, `runs past the end of its message (truncated?)`);
    return len;
  }

  message<T>(name: string, readField: (tag: number, obj: T, r: ProtoReader) => void, obj: T): T {
    const len = this.length(name);
    return this.fields(readField, obj, this.pbf.pos + len);
  }

  string(name: string): string {
    const len = this.length(name);
    const start = this.pbf.pos;
    this.pbf.pos += len;
    const bytes = this.pbf.buf.subarray(start, start + len);
    try {
      return UTF8.decode(bytes);
    } catch {
      throw new ProtoError(name, `not valid UTF-8`);
    }
  }

  /** An unsigned varint (uint32, uint64 up to 2^53, enum, bool). */
  uint(name: string): number {
    this.expect(VARINT, name);
    return this.pbf.readVarint();
  }

  /** int32/int64: negative values are ten-byte two's complement varints. */
  int(name: string): number {
    this.expect(VARINT, name);
    return this.pbf.readVarint(true);
  }

  bool(name: string): boolean {
    return this.uint(name) !== 0;
  }

  float(name: string): number {
    this.expect(I32, name);
    if (this.pbf.pos + 4 > this.end) throw new ProtoError(name, `truncated`);
    return this.pbf.readFloat();
  }

  double(name: string): number {
    this.expect(I64, name);
    if (this.pbf.pos + 8 > this.end) throw new ProtoError(name, `truncated`);
    return this.pbf.readDouble();
  }
}

/** Strict: a string field with broken UTF-8 is damaged data, not text to guess at. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A base-128 varint at `pos`; undefined when it runs off the end or is longer than 10 bytes. */
export function readVarint(bytes: Uint8Array, pos: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  // Beyond 2^53 the value is inexact, which only matters for lengths and keys, and those are far smaller.
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    const b = bytes[i] as number;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return { value, next: i + 1 };
    scale *= 128;
  }
  return undefined;
}

export function base64(bytes: Uint8Array): string {
  return `base64:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

/** Bytes as kept in quarantine: as text when they are UTF-8 text, else base64 (never text with replacement characters). */
export function rawText(bytes: Uint8Array): string {
  if (bytes[0] === 0xbf) return base64(bytes);
  try {
    // `stream`: a head cut at 4096 bytes may split the last character; that alone does not make it binary.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return base64(bytes);
  }
}
