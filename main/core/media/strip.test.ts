import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { SECRET, mp4SampleAt, phoneJpeg, phoneMp4, phonePng, plainJpeg } from '../../../test/mediaSamples';
import { MediaRefused, sniff, stripMedia } from './strip';

/** exiftool (Debian libimage-exiftool-perl) reads what phones write; skipped with a message when absent. */
const EXIFTOOL = ['/usr/bin/exiftool', '/usr/local/bin/exiftool'].find((p) => fs.existsSync(p));
const NO_EXIFTOOL = EXIFTOOL ? '' : ' (skipped: exiftool is not installed; run `npm run setup` or apt-get install libimage-exiftool-perl)';

function exiftool(bytes: Buffer, ext: string): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-media-'));
  try {
    const file = path.join(dir, `sample.${ext}`);
    fs.writeFileSync(file, bytes);
    const out = execFileSync(EXIFTOOL!, ['-j', '-a', '-G1', '-n', file], { encoding: 'utf8' });
    return (JSON.parse(out) as Record<string, unknown>[])[0]!;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The tags that would identify where, with what, by whom or exactly when: none may be left. */
const TELLING = /GPS|Make|Model|Artist|Author|Owner|Software|DateTimeOriginal|CreateDate|ModifyDate|Comment|XMP|IPTC|By-line|Creator|Location/i;

function tellingTags(tags: Record<string, unknown>): string[] {
  return Object.entries(tags)
    // System: and File: are the temporary file's own names and dates, not what the picture carries.
    .filter(([k, v]) => !/^(System|File|ExifTool):/.test(k) && TELLING.test(k) && !(typeof v === 'number' && v === 0) && !(typeof v === 'string' && /^0000:00:00 00:00:00/.test(v)))
    .map(([k, v]) => `${k}=${String(v)}`);
}

describe('a citizen photo is cleaned of its metadata before anyone sees it', () => {
  it('the sample really carries GPS, make, model and owner (read by exifr), so the test means something', async () => {
    const tags = (await exifr.parse(phoneJpeg(), { gps: true, xmp: true, iptc: true })) as Record<string, unknown>;
    expect(tags.Make).toBe(SECRET.make);
    expect(tags.Model).toBe(SECRET.model);
    expect(tags.latitude as number).toBeCloseTo(SECRET.lat, 3);
    expect(tags.longitude as number).toBeCloseTo(SECRET.lon, 3);
  });

  it('JPEG: exifr finds nothing left; the picture decodes to the very same pixels (jpeg-js)', async () => {
    const original = phoneJpeg();
    const clean = stripMedia(original);
    expect(clean.format).toBe('jpeg');
    expect(clean.removed).toEqual(expect.arrayContaining(['APP1 (Exif)', 'APP1 (http://ns.adobe.com/xap/)', 'APP13 (Photoshop 3.0)', 'COM']));
    const tags = (await exifr.parse(clean.bytes, { gps: true, xmp: true, iptc: true, icc: false, jfif: false, ihdr: false }).catch(() => undefined)) as Record<string, unknown> | undefined;
    expect(tags ?? {}).toEqual({});
    for (const s of [SECRET.make, SECRET.model, SECRET.owner, SECRET.comment, SECRET.dateTimeOriginal]) expect(clean.bytes.includes(s)).toBe(false);
    const before = jpeg.decode(original, { useTArray: true });
    const after = jpeg.decode(clean.bytes, { useTArray: true });
    expect([after.width, after.height]).toEqual([before.width, before.height]);
    expect(Buffer.from(after.data).equals(Buffer.from(before.data))).toBe(true);
  });

  it(`JPEG: exiftool finds no GPS, device, owner, time or comment left${NO_EXIFTOOL}`, ({ skip }) => {
    if (!EXIFTOOL) skip();
    const before = exiftool(phoneJpeg(), 'jpg');
    expect(tellingTags(before).length).toBeGreaterThan(5);
    const after = exiftool(stripMedia(phoneJpeg()).bytes, 'jpg');
    expect(tellingTags(after)).toEqual([]);
    expect(after['File:ImageWidth']).toBe(64);
  });

  it(`PNG: tEXt, iTXt, eXIf and tIME are gone (exiftool), the image chunks kept${NO_EXIFTOOL}`, ({ skip }) => {
    const clean = stripMedia(phonePng());
    expect(clean.removed).toEqual(['tEXt', 'iTXt', 'eXIf', 'tIME']);
    for (const s of [SECRET.make, SECRET.model, SECRET.owner]) expect(clean.bytes.includes(s)).toBe(false);
    if (!EXIFTOOL) skip();
    expect(tellingTags(exiftool(phonePng(), 'png')).length).toBeGreaterThan(2);
    const after = exiftool(clean.bytes, 'png');
    expect(tellingTags(after)).toEqual([]);
    expect(after['PNG:ImageWidth']).toBe(8);
    expect(after.Warning).toBeUndefined();
  });

  it('MP4 (moov after mdat): udta with ©xyz/©mak/©mod removed everywhere, the sample still where stco says', () => {
    const original = phoneMp4();
    expect(original.includes(SECRET.xyz)).toBe(true);
    const clean = stripMedia(original, Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(clean.format).toBe('mp4');
    expect(clean.removed).toEqual(expect.arrayContaining(['moov/udta', 'trak/udta', 'mvhd times', 'tkhd times', 'mdhd times']));
    for (const s of [SECRET.xyz, SECRET.make, SECRET.model]) expect(clean.bytes.includes(s)).toBe(false);
    expect(mp4SampleAt(clean.bytes)).toBe('VIGIE-SAMPLE-BYTES');
  });

  it('MP4 (moov first, the "fast start" layout): chunk offsets move by what was cut', () => {
    const original = phoneMp4({ moovFirst: true });
    expect(mp4SampleAt(original)).toBe('VIGIE-SAMPLE-BYTES');
    const clean = stripMedia(original);
    expect(clean.bytes.length).toBeLessThan(original.length);
    expect(mp4SampleAt(clean.bytes)).toBe('VIGIE-SAMPLE-BYTES');
  });

  it(`MP4: exiftool reads GPS and device before, none after, and the times are the report's${NO_EXIFTOOL}`, ({ skip }) => {
    if (!EXIFTOOL) skip();
    const before = exiftool(phoneMp4(), 'mp4');
    expect(String(before['UserData:GPSCoordinates'] ?? before['Keys:GPSCoordinates'] ?? '')).toMatch(/48\.87/);
    expect(before['UserData:Make']).toBe(SECRET.make);
    expect(before['QuickTime:CreateDate']).toBe('2024:03:09 14:22:31');
    const reportTime = Date.UTC(2026, 0, 2, 3, 4, 5);
    const after = exiftool(stripMedia(phoneMp4(), reportTime).bytes, 'mp4');
    const left = tellingTags(after).filter((t) => !/CreateDate=2026:01:02 03:04:05|ModifyDate=2026:01:02 03:04:05/.test(t));
    expect(left).toEqual([]);
    expect(after['QuickTime:CreateDate']).toBe('2026:01:02 03:04:05');
    expect(after['Track1:TrackCreateDate']).toBe('2026:01:02 03:04:05');
    expect(after['Track1:MediaCreateDate']).toBe('2026:01:02 03:04:05');
  });

  it('refuses what it cannot clean, by the bytes and not by a name: HTML, GIF, HEIC, truncated files', () => {
    expect(() => stripMedia(Buffer.from('<html>not a picture</html>'))).toThrow(MediaRefused);
    expect(() => stripMedia(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toThrow(/not a JPEG, PNG or MP4/);
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
    expect(() => stripMedia(heic)).toThrow(/HEIC|HEIF/);
    const jpegFile = phoneJpeg();
    expect(() => stripMedia(jpegFile.subarray(0, jpegFile.length - 40))).toThrow(/truncated/);
    expect(() => stripMedia(phonePng().subarray(0, 60))).toThrow(MediaRefused);
    expect(sniff(plainJpeg())).toBe('jpeg');
  });
});
