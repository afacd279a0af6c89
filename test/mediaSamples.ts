/**
 * Citizen photos and videos with the metadata a phone writes, made here with libraries we did not
 * write (jpeg-js encodes the picture, piexifjs writes its EXIF) or, for the MP4, box by box as
 * ISO/IEC 14496-12 and the QuickTime user-data atoms lay them out. Shared by the unit tests and
 * the e2e spec of issue 22.
 */
import zlib from 'node:zlib';
import jpeg from 'jpeg-js';
import piexif from 'piexifjs';

/** The secrets the samples carry; a cleaned file must contain none of them. */
export const SECRET = {
  make: 'AcmePhone',
  model: 'Model-X-9000',
  owner: 'Jeanne Martin',
  software: 'CameraApp 7.1',
  /** Near the Élysée: a position nobody should learn from a citizen's picture. */
  lat: 48.87,
  lon: 2.3167,
  xyz: '+48.8700+002.3167/',
  dateTimeOriginal: '2024:03:09 14:22:31',
  comment: 'sent by jeanne.martin@example.org',
} as const;

/** A 64×48 gradient (so it is a picture, not a flat colour), as a baseline JPEG from jpeg-js. */
export function plainJpeg(width = 64, height = 48): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = 240 - Math.round((x / width) * 200);
      data[i + 1] = 120 + Math.round((y / height) * 100);
      data[i + 2] = 40 + Math.round((x / width) * 160);
      data[i + 3] = 255;
    }
  }
  return Buffer.from(jpeg.encode({ data, width, height }, 90).data);
}

const rational = (v: number, den = 10000): [number, number] => [Math.round(v * den), den];
const dms = (deg: number): [number, number][] => {
  const d = Math.floor(deg);
  const m = Math.floor((deg - d) * 60);
  const s = (deg - d - m / 60) * 3600;
  return [[d, 1], [m, 1], rational(s, 100)];
};

/** A JPEG as a phone sends it: EXIF (GPS, make, model, owner, time) by piexifjs, plus XMP, IPTC and a comment. */
export function phoneJpeg(): Buffer {
  const exif = piexif.dump({
    '0th': {
      [piexif.ImageIFD.Make]: SECRET.make,
      [piexif.ImageIFD.Model]: SECRET.model,
      [piexif.ImageIFD.Artist]: SECRET.owner,
      [piexif.ImageIFD.Software]: SECRET.software,
    },
    Exif: { [piexif.ExifIFD.DateTimeOriginal]: SECRET.dateTimeOriginal },
    GPS: {
      [piexif.GPSIFD.GPSLatitudeRef]: 'N',
      [piexif.GPSIFD.GPSLatitude]: dms(SECRET.lat),
      [piexif.GPSIFD.GPSLongitudeRef]: 'E',
      [piexif.GPSIFD.GPSLongitude]: dms(SECRET.lon),
    },
  });
  const withExif = Buffer.from(piexif.insert(exif, plainJpeg().toString('binary')), 'binary');
  // XMP (a second APP1), IPTC (APP13) and a comment, right after SOI, as editing apps add them.
  const xmp = Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Make="${SECRET.make}" tiff:Model="${SECRET.model}"/></rdf:RDF></x:xmpmeta>`, 'latin1');
  const iptcRecord = Buffer.concat([Buffer.from([0x1c, 0x02, 0x50, 0x00, SECRET.owner.length]), Buffer.from(SECRET.owner, 'latin1')]);
  const irb = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), Buffer.from('8BIM', 'latin1'), Buffer.from([0x04, 0x04, 0, 0]), u32(iptcRecord.length), iptcRecord]);
  return Buffer.concat([withExif.subarray(0, 2), segment(0xe1, xmp), segment(0xed, irb), segment(0xfe, Buffer.from(SECRET.comment, 'latin1')), withExif.subarray(2)]);
}

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

// ---------------------------------------------------------------------------------------------
// PNG (RFC 2083 / ISO 15948): chunks with their CRC, the picture deflated by zlib.

function crc32(buf: Buffer): number {
  return zlib.crc32(buf);
}

function chunk(type: string, data: Buffer): Buffer {
  const t = Buffer.from(type, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([t, data])) >>> 0);
  return Buffer.concat([u32(data.length), t, data, crc]);
}

/** An 8×8 RGB PNG carrying tEXt (author), iTXt (XMP), eXIf (EXIF with GPS) and tIME. */
export function phonePng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(8, 0);
  ihdr.writeUInt32BE(8, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc(8 * (1 + 8 * 3), 0x80);
  for (let y = 0; y < 8; y++) rows[y * 25] = 0;
  const exifTiff = Buffer.from(piexif.dump({ '0th': { [piexif.ImageIFD.Make]: SECRET.make }, GPS: { [piexif.GPSIFD.GPSLatitudeRef]: 'N', [piexif.GPSIFD.GPSLatitude]: dms(SECRET.lat) } }), 'binary').subarray(6);
  const time = Buffer.from([0x07, 0xe8, 3, 9, 14, 22, 31]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from(`Author\0${SECRET.owner}`, 'latin1')),
    chunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta xmlns:x="adobe:ns:meta/"><tiff:Model>${SECRET.model}</tiff:Model></x:xmpmeta>`, 'latin1')),
    chunk('eXIf', exifTiff),
    chunk('tIME', time),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// MP4 (ISO/IEC 14496-12), box by box: ftyp, mdat first (as phones write it), then moov with a
// movie header, one track, and the QuickTime user data phones add: ©xyz (ISO 6709 position),
// ©mak, ©mod. One tiny sample in mdat, referenced from stco, so offsets can be checked.

function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
}

function fullBox(type: string, version: number, body: Buffer): Buffer {
  return box(type, Buffer.from([version, 0, 0, 0]), body);
}

/** QuickTime user-data text atom: 16-bit length, 16-bit language, the text. */
function qtText(type: string, text: string): Buffer {
  const t = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt16BE(t.length, 0);
  head.writeUInt16BE(0x15c7, 2);
  return box(type, head, t);
}

/** Seconds since 1904 of 2024-03-09 14:22:31 UTC: the phone's own clock, which must not survive. */
export const MP4_PHONE_TIME_1904 = Math.floor(Date.UTC(2024, 2, 9, 14, 22, 31) / 1000) + 2_082_844_800;

export function phoneMp4(options: { moovFirst?: boolean } = {}): Buffer {
  const sample = Buffer.from('VIGIE-SAMPLE-BYTES');
  const t = MP4_PHONE_TIME_1904;
  const mvhdBody = Buffer.alloc(96);
  mvhdBody.writeUInt32BE(t, 0);
  mvhdBody.writeUInt32BE(t, 4);
  mvhdBody.writeUInt32BE(1000, 8); // timescale
  mvhdBody.writeUInt32BE(1000, 12); // duration
  mvhdBody.writeUInt32BE(0x00010000, 16); // rate 1.0
  mvhdBody.writeUInt16BE(0x0100, 20); // volume 1.0
  // unity matrix at 32
  [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].forEach((v, i) => mvhdBody.writeUInt32BE(v, 32 + i * 4));
  mvhdBody.writeUInt32BE(2, 92); // next track id
  const tkhdBody = Buffer.alloc(80);
  tkhdBody.writeUInt32BE(t, 0);
  tkhdBody.writeUInt32BE(t, 4);
  tkhdBody.writeUInt32BE(1, 8); // track id
  tkhdBody.writeUInt32BE(1000, 16); // duration
  [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].forEach((v, i) => tkhdBody.writeUInt32BE(v, 36 + i * 4));
  const mdhdBody = Buffer.alloc(20);
  mdhdBody.writeUInt32BE(t, 0);
  mdhdBody.writeUInt32BE(t, 4);
  mdhdBody.writeUInt32BE(1000, 8);
  mdhdBody.writeUInt32BE(1000, 12);
  mdhdBody.writeUInt16BE(0x55c4, 16); // language 'und'
  const hdlr = fullBox('hdlr', 0, Buffer.concat([u32(0), Buffer.from('vide', 'latin1'), Buffer.alloc(12), Buffer.from('VideoHandler\0', 'latin1')]));
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(0x200), Buffer.from('isomiso2mp41', 'latin1'));
  const udta = box('udta', qtText('\xa9xyz', SECRET.xyz), qtText('\xa9mak', SECRET.make), qtText('\xa9mod', SECRET.model));
  const build = (mdatOffset: number) => {
    const stco = fullBox('stco', 0, Buffer.concat([u32(1), u32(mdatOffset + 8)]));
    const stbl = box('stbl', stco);
    const trak = box('trak', fullBox('tkhd', 0, tkhdBody), box('mdia', fullBox('mdhd', 0, mdhdBody), hdlr, box('minf', stbl)), box('udta', qtText('\xa9mak', SECRET.make)));
    return box('moov', fullBox('mvhd', 0, mvhdBody), trak, udta);
  };
  const mdat = box('mdat', sample);
  if (options.moovFirst) {
    const moovSize = build(0).length;
    return Buffer.concat([ftyp, build(ftyp.length + moovSize), mdat]);
  }
  return Buffer.concat([ftyp, mdat, build(ftyp.length)]);
}

/** Where the one sample sits, read back from the file's own stco (to check offsets stayed right). */
export function mp4SampleAt(file: Buffer): string {
  const i = file.indexOf('stco', 0, 'latin1');
  const offset = file.readUInt32BE(i + 12);
  return file.subarray(offset, offset + 18).toString('latin1');
}
