/**
 * Citizen media, minimised before anyone sees it (issue 22): the metadata a phone writes into a
 * photo or a video (GPS position, make and model, owner, the times it was taken and edited) is cut
 * out of the bytes, in memory, before they are cached or shown. Only formats we can clean are
 * accepted; anything else is refused with a reason, never passed through as it came.
 *
 * The type is told by the bytes (magic numbers), not by the server's Content-Type: a server that
 * calls a PNG "image/jpeg" still gets it cleaned as a PNG, and an HTML page called "image/jpeg" is
 * refused.
 */

export type MediaFormat = 'jpeg' | 'png' | 'mp4';

export const MEDIA_MIME: Record<MediaFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', mp4: 'video/mp4' };

export class MediaRefused extends Error {
  override name = 'MediaRefused';
}

export interface Stripped {
  format: MediaFormat;
  contentType: string;
  bytes: Buffer;
  /** What was removed, for the journal and the tests ("APP1 (EXIF/XMP)", "udta", "mvhd times"…). */
  removed: string[];
}

/** The format the bytes say they are, or undefined. */
export function sniff(bytes: Uint8Array): MediaFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE)) return 'png';
  // ISO base media (MP4, MOV, 3GP): a first box `ftyp` (MOV may start with `wide`, `free` or `moov`).
  if (bytes.length >= 12) {
    const type = Buffer.from(bytes.subarray(4, 8)).toString('latin1');
    if (type === 'ftyp' || type === 'moov' || type === 'wide' || type === 'free' || type === 'mdat') return 'mp4';
  }
  return undefined;
}

/**
 * Cleans one image or video. `reportTime` (ms) is what the container's creation and modification
 * times become (the report's own time, which the incident shows anyway); without it they are zero.
 */
export function stripMedia(input: Uint8Array, reportTime?: number): Stripped {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const format = sniff(bytes);
  if (!format) throw new MediaRefused('not a JPEG, PNG or MP4/MOV file (by its first bytes): Vigie shows only the formats it can clean of their metadata');
  const removed: string[] = [];
  const out = format === 'jpeg' ? stripJpeg(bytes, removed) : format === 'png' ? stripPng(bytes, removed) : stripMp4(bytes, removed, reportTime);
  return { format, contentType: MEDIA_MIME[format], bytes: out, removed };
}

// ---------------------------------------------------------------------------------------------
// JPEG: a list of marker segments up to the first SOS, then entropy-coded data to EOI.

/** APPn a decoder needs: APP0 (JFIF, colour space) and APP14 (Adobe: colour transform of CMYK/YCCK). */
const JPEG_KEEP_APP = new Set([0xe0, 0xee]);

function stripJpeg(b: Buffer, removed: string[]): Buffer {
  const parts: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  for (;;) {
    if (i + 4 > b.length) throw new MediaRefused('JPEG ends before its image data (truncated file)');
    if (b[i] !== 0xff) throw new MediaRefused(`JPEG segment at byte ${i} does not start with a marker (damaged file)`);
    // Fill bytes (0xFF repeated) may precede a marker.
    let m = i + 1;
    while (b[m] === 0xff && m < b.length) m++;
    const marker = b[m]!;
    const start = m - 1;
    if (marker === 0xd9) throw new MediaRefused('JPEG ends (EOI) before any image data');
    // Standalone markers (TEM, RSTn) have no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(b.subarray(start, m + 1));
      i = m + 1;
      continue;
    }
    const length = b.readUInt16BE(m + 1);
    const end = m + 1 + length;
    if (length < 2 || end > b.length) throw new MediaRefused(`JPEG segment 0x${marker.toString(16)} at byte ${start} runs past the end of the file`);
    const isApp = marker >= 0xe0 && marker <= 0xef;
    if (marker === 0xfe) removed.push('COM');
    else if (isApp && !JPEG_KEEP_APP.has(marker)) removed.push(jpegAppName(marker, b.subarray(m + 3, Math.min(end, m + 3 + 30))));
    else parts.push(b.subarray(start, end));
    i = end;
    if (marker === 0xda) {
      // Start of scan: the rest (entropy-coded data, further scans of a progressive JPEG, EOI) is
      // image, except that APPn/COM may also sit between scans; those are cleaned too.
      return Buffer.concat([...parts, stripJpegScans(b, i, removed)]);
    }
  }
}

/** After the first SOS: copies image data, drops APPn (but APP0/APP14) and COM segments between scans, stops at EOI. */
function stripJpegScans(b: Buffer, from: number, removed: string[]): Buffer {
  const parts: Buffer[] = [];
  let copyFrom = from;
  let i = from;
  while (i < b.length - 1) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = b[i + 1]!;
    // 0xFF00 is an escaped 0xFF in entropy data; RSTn and fill bytes belong to the scan.
    if (marker === 0x00 || marker === 0xff || (marker >= 0xd0 && marker <= 0xd7)) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker === 0xd9) {
      parts.push(b.subarray(copyFrom, i + 2));
      if (i + 2 < b.length) removed.push(`${b.length - i - 2} bytes after EOI`);
      return Buffer.concat(parts);
    }
    if (i + 4 > b.length) break;
    const length = b.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (end > b.length) break;
    const isApp = marker >= 0xe0 && marker <= 0xef;
    if (marker === 0xfe || (isApp && !JPEG_KEEP_APP.has(marker))) {
      parts.push(b.subarray(copyFrom, i));
      removed.push(marker === 0xfe ? 'COM' : jpegAppName(marker, b.subarray(i + 4, Math.min(end, i + 34))));
      copyFrom = end;
    }
    i = end;
  }
  throw new MediaRefused('JPEG has no end-of-image marker (truncated file)');
}

function jpegAppName(marker: number, head: Buffer): string {
  const id = head.toString('latin1').split('\0')[0]!.replace(/[^\x20-\x7e]/g, '');
  return `APP${marker - 0xe0}${id ? ` (${id.slice(0, 24)})` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// PNG: signature, then chunks (length, type, data, CRC). Ancillary chunks that carry text or
// time are dropped; the rest are copied byte for byte (their CRCs stay valid).

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_DROP = new Set(['tEXt', 'iTXt', 'zTXt', 'eXIf', 'tIME']);

function stripPng(b: Buffer, removed: string[]): Buffer {
  const parts: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  let sawEnd = false;
  while (i + 12 <= b.length) {
    const length = b.readUInt32BE(i);
    const type = b.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + length;
    if (end > b.length) throw new MediaRefused(`PNG chunk ${JSON.stringify(type)} at byte ${i} runs past the end of the file`);
    if (PNG_DROP.has(type)) removed.push(type);
    else parts.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') {
      sawEnd = true;
      break;
    }
  }
  if (!sawEnd) throw new MediaRefused('PNG has no IEND chunk (truncated file)');
  if (i < b.length) removed.push(`${b.length - i} bytes after IEND`);
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// ISO base media file format (MP4, MOV): a tree of boxes (size, type, payload). `udta` and
// `meta` hold the GPS position (©xyz), make, model, software and the owner's name; they are
// removed wherever they are. The creation and modification times of mvhd, tkhd and mdhd are
// set to the report's time. Removing a box inside `moov` changes no offset into `mdat` as long
// as `moov` comes after `mdat`; when `moov` comes first, the chunk offsets (stco/co64) are moved
// by the number of bytes removed before `mdat`.

/** Containers whose children are boxes (and that can hold udta/meta or the boxes with times). */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'mvex', 'moof', 'traf', 'mfra']);
const DROP_BOXES = new Set(['udta', 'meta', 'uuid', 'XMP_', 'free', 'skip', 'wide', 'pnot', 'PICT', 'Xtra']);
const TIME_BOXES = new Set(['mvhd', 'tkhd', 'mdhd']);
/** Seconds between 1904-01-01 (the ISO/QuickTime epoch) and 1970-01-01. */
const EPOCH_1904_S = 2_082_844_800;

interface Box {
  type: string;
  start: number;
  headerSize: number;
  end: number;
}

function readBoxes(b: Buffer, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  let i = from;
  while (i < to) {
    if (i + 8 > to) throw new MediaRefused(`MP4 box at byte ${i} is cut short`);
    let size = b.readUInt32BE(i);
    const type = b.subarray(i + 4, i + 8).toString('latin1');
    let headerSize = 8;
    if (size === 1) {
      if (i + 16 > to) throw new MediaRefused(`MP4 box ${JSON.stringify(type)} at byte ${i} is cut short`);
      const big = b.readBigUInt64BE(i + 8);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new MediaRefused(`MP4 box ${JSON.stringify(type)} is too large`);
      size = Number(big);
      headerSize = 16;
    } else if (size === 0) {
      size = to - i; // to the end of the file
    }
    if (size < headerSize || i + size > to) throw new MediaRefused(`MP4 box ${JSON.stringify(type)} at byte ${i} runs past its parent (damaged file)`);
    if (type === 'uuid') headerSize += 16;
    boxes.push({ type, start: i, headerSize, end: i + size });
    i += size;
  }
  return boxes;
}

function stripMp4(b: Buffer, removed: string[], reportTime: number | undefined): Buffer {
  const top = readBoxes(b, 0, b.length);
  const ftyp = top.find((x) => x.type === 'ftyp');
  const brand = ftyp ? b.subarray(ftyp.start + 8, ftyp.start + 12).toString('latin1') : '';
  // HEIF/AVIF share the box format but keep the picture's own items in `meta`: not a video we can clean.
  if (['heic', 'heix', 'heim', 'heis', 'hevc', 'mif1', 'msf1', 'avif', 'avis'].includes(brand)) throw new MediaRefused(`a HEIC/HEIF or AVIF image (brand "${brand}"): Vigie cannot clean it yet; ask the sender for JPEG`);
  if (!top.some((x) => x.type === 'moov')) throw new MediaRefused('MP4/MOV has no movie header (moov): fragmented or damaged files are not shown');
  const times = reportTime === undefined ? 0 : Math.max(0, Math.floor(reportTime / 1000) + EPOCH_1904_S);
  // First pass: the cleaned top level, and how many bytes disappear before each mdat.
  const pieces: Buffer[] = [];
  let removedBeforeMdat = 0;
  let mdatSeen = false;
  const moovIndex: number[] = [];
  for (const box of top) {
    if (box.type === 'mdat') mdatSeen = true;
    if (DROP_BOXES.has(box.type)) {
      removed.push(box.type);
      if (!mdatSeen) removedBeforeMdat += box.end - box.start;
      continue;
    }
    if (box.type === 'moov') {
      const cleaned = cleanContainer(b, box, removed, times);
      if (!mdatSeen) removedBeforeMdat += box.end - box.start - cleaned.length;
      moovIndex.push(pieces.length);
      pieces.push(cleaned);
    } else {
      pieces.push(b.subarray(box.start, box.end));
    }
  }
  // Sample offsets are absolute file positions: shift them by what was cut ahead of the media data.
  if (removedBeforeMdat > 0) for (const k of moovIndex) shiftChunkOffsets(pieces[k]!, -removedBeforeMdat);
  return Buffer.concat(pieces);
}

/** A container box rebuilt without udta/meta, with times reset, its size (and its parents') recomputed. */
function cleanContainer(b: Buffer, box: Box, removed: string[], times: number): Buffer {
  const children = readBoxes(b, box.start + box.headerSize, box.end);
  const out: Buffer[] = [];
  for (const child of children) {
    if (DROP_BOXES.has(child.type)) {
      removed.push(`${box.type}/${child.type}`);
    } else if (CONTAINERS.has(child.type)) {
      out.push(cleanContainer(b, child, removed, times));
    } else if (TIME_BOXES.has(child.type)) {
      const copy = Buffer.from(b.subarray(child.start, child.end));
      resetTimes(copy, child.headerSize, child.type);
      removed.push(`${child.type} times`);
      out.push(copy);
    } else {
      out.push(b.subarray(child.start, child.end));
    }
  }
  const body = Buffer.concat(out);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(box.type, 4, 'latin1');
  return Buffer.concat([header, body]);

  function resetTimes(copy: Buffer, at: number, type: string): void {
    // Full box: version (1 byte) + flags (3); version 1 has 64-bit times, version 0 32-bit.
    const version = copy[at]!;
    if (version === 1) {
      copy.writeBigUInt64BE(BigInt(times), at + 4);
      copy.writeBigUInt64BE(BigInt(times), at + 12);
    } else if (version === 0) {
      copy.writeUInt32BE(times >>> 0, at + 4);
      copy.writeUInt32BE(times >>> 0, at + 8);
    } else {
      throw new MediaRefused(`MP4 ${type} has version ${version}, which Vigie cannot clean`);
    }
  }
}

/** Adds `delta` to every chunk offset of every track (stco: 32-bit, co64: 64-bit), in place. */
function shiftChunkOffsets(moov: Buffer, delta: number): void {
  const walk = (from: number, to: number) => {
    for (const box of readBoxes(moov, from, to)) {
      if (CONTAINERS.has(box.type)) walk(box.start + box.headerSize, box.end);
      else if (box.type === 'stco' || box.type === 'co64') {
        const at = box.start + box.headerSize + 4;
        const count = moov.readUInt32BE(at);
        for (let k = 0; k < count; k++) {
          if (box.type === 'stco') {
            const p = at + 4 + k * 4;
            moov.writeUInt32BE(moov.readUInt32BE(p) + delta, p);
          } else {
            const p = at + 4 + k * 8;
            moov.writeBigUInt64BE(moov.readBigUInt64BE(p) + BigInt(delta), p);
          }
        }
      }
    }
  };
  walk(8, moov.length);
}
