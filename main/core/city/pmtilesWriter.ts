import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { zxyToTileId } from 'pmtiles';

/**
 * A small PMTiles v3 writer (spec: github.com/protomaps/PMTiles, spec/v3/spec.md): header,
 * gzip-compressed root directory (with leaf directories when the root would not fit in the first
 * 16 KiB), gzip JSON metadata, and tile data ordered by tile id ("clustered"), identical tiles
 * stored once and runs of them addressed by one entry. The `pmtiles` npm package only reads.
 */

export interface TileInput {
  z: number;
  x: number;
  y: number;
  /** The tile as it should be served once decompressed (an MVT tile here). */
  data: Uint8Array;
}

export interface ArchiveInfo {
  tileType: 'mvt';
  bounds: [number, number, number, number];
  minZoom: number;
  maxZoom: number;
  center: [number, number];
  centerZoom: number;
  metadata: Record<string, unknown>;
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

const HEADER_BYTES = 127;
/** Clients read the first 16 KiB at once: header and root directory must fit in it. */
const FIRST_READ = 16_384;
const GZIP = 2;
const MVT = 1;

function varint(out: number[], value: number): void {
  // Up to 2^53: no bitwise operators, which would truncate to 32 bits.
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** One directory, as the spec lays it out (ids as deltas, then run lengths, lengths, offsets), gzip-compressed. */
export function serializeDirectory(entries: Entry[]): Buffer {
  const out: number[] = [];
  varint(out, entries.length);
  let last = 0;
  for (const e of entries) {
    varint(out, e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) varint(out, e.runLength);
  for (const e of entries) varint(out, e.length);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    // 0 means "right after the previous entry's bytes", else offset + 1.
    varint(out, i > 0 && prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  });
  return zlib.gzipSync(Buffer.from(out));
}

/** The root directory, and leaf directories when all entries do not fit in the first read. */
function directories(entries: Entry[]): { root: Buffer; leaves: Buffer } {
  const whole = serializeDirectory(entries);
  if (HEADER_BYTES + whole.length <= FIRST_READ) return { root: whole, leaves: Buffer.alloc(0) };
  for (let perLeaf = 4096; ; perLeaf *= 2) {
    const rootEntries: Entry[] = [];
    const leafParts: Buffer[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += perLeaf) {
      const leaf = serializeDirectory(entries.slice(i, i + perLeaf));
      // runLength 0: this entry points at a leaf directory, not at tile data.
      rootEntries.push({ tileId: entries[i]!.tileId, offset, length: leaf.length, runLength: 0 });
      leafParts.push(leaf);
      offset += leaf.length;
    }
    const root = serializeDirectory(rootEntries);
    if (HEADER_BYTES + root.length <= FIRST_READ) return { root, leaves: Buffer.concat(leafParts) };
  }
}

function header(fields: {
  rootOffset: number; rootLength: number; metadataOffset: number; metadataLength: number; leafOffset: number; leafLength: number;
  dataOffset: number; dataLength: number; addressed: number; entries: number; contents: number; info: ArchiveInfo;
}): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.write('PMTiles', 0, 'ascii');
  b.writeUInt8(3, 7);
  const u64 = (v: number, at: number) => b.writeBigUInt64LE(BigInt(v), at);
  u64(fields.rootOffset, 8);
  u64(fields.rootLength, 16);
  u64(fields.metadataOffset, 24);
  u64(fields.metadataLength, 32);
  u64(fields.leafOffset, 40);
  u64(fields.leafLength, 48);
  u64(fields.dataOffset, 56);
  u64(fields.dataLength, 64);
  u64(fields.addressed, 72);
  u64(fields.entries, 80);
  u64(fields.contents, 88);
  b.writeUInt8(1, 96); // clustered: tile data in tile id order
  b.writeUInt8(GZIP, 97); // internal compression (directories, metadata)
  b.writeUInt8(GZIP, 98); // tile compression
  b.writeUInt8(MVT, 99);
  b.writeUInt8(fields.info.minZoom, 100);
  b.writeUInt8(fields.info.maxZoom, 101);
  const e7 = (deg: number) => Math.round(deg * 1e7);
  const [w, s, e, n] = fields.info.bounds;
  b.writeInt32LE(e7(w), 102);
  b.writeInt32LE(e7(s), 106);
  b.writeInt32LE(e7(e), 110);
  b.writeInt32LE(e7(n), 114);
  b.writeUInt8(fields.info.centerZoom, 118);
  b.writeInt32LE(e7(fields.info.center[0]), 119);
  b.writeInt32LE(e7(fields.info.center[1]), 123);
  return b;
}

/** Writes the archive to `file`; returns how many tiles it addresses and how many distinct ones it stores. */
export function writePmtiles(file: string, tiles: TileInput[], info: ArchiveInfo): { tiles: number; contents: number; bytes: number } {
  const sorted = tiles.map((t) => ({ ...t, tileId: zxyToTileId(t.z, t.x, t.y) })).sort((a, b) => a.tileId - b.tileId);
  const entries: Entry[] = [];
  const data: Buffer[] = [];
  const stored = new Map<string, { offset: number; length: number }>();
  let dataLength = 0;
  for (const tile of sorted) {
    const gz = zlib.gzipSync(tile.data);
    const hash = crypto.createHash('sha256').update(gz).digest('hex');
    let at = stored.get(hash);
    if (!at) {
      at = { offset: dataLength, length: gz.length };
      stored.set(hash, at);
      data.push(gz);
      dataLength += gz.length;
    }
    const last = entries.at(-1);
    if (last && last.offset === at.offset && last.tileId + last.runLength === tile.tileId) last.runLength++;
    else entries.push({ tileId: tile.tileId, offset: at.offset, length: at.length, runLength: 1 });
  }
  const { root, leaves } = directories(entries);
  const metadata = zlib.gzipSync(Buffer.from(JSON.stringify(info.metadata)));
  const rootOffset = HEADER_BYTES;
  const metadataOffset = rootOffset + root.length;
  const leafOffset = metadataOffset + metadata.length;
  const dataOffset = leafOffset + leaves.length;
  const head = header({
    rootOffset, rootLength: root.length, metadataOffset, metadataLength: metadata.length, leafOffset, leafLength: leaves.length,
    dataOffset, dataLength, addressed: sorted.length, entries: entries.length, contents: stored.size, info,
  });
  const out = Buffer.concat([head, root, metadata, leaves, ...data]);
  fs.writeFileSync(file, out);
  return { tiles: sorted.length, contents: stored.size, bytes: out.length };
}
