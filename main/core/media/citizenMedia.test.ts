import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { MachinePolicy } from '../policy/machinePolicy';
import { MediaService } from './mediaService';
import type { CallContext } from '../rpc';
import type { MediaContent, MediaItem } from '../../../common/domain/media';
import { TestClock } from '../../../test/clock';
import { callAs } from '../../../test/core';
import { waitFor } from '../../../test/feedServers';
import { tempDir } from '../../../test/helpers';
import { SECRET, phoneJpeg, phoneMp4 } from '../../../test/mediaSamples';

/**
 * Issue 22's "done when", against real parts: an Open311 server on loopback whose requests name a
 * phone's JPEG and MP4 (EXIF GPS, make, model), a real core and SQLite profile, the real dispatcher
 * with roles, and exifr (which we did not write) reading back what a person is shown.
 */
const operator: CallContext = { user: 'olivier', role: 'operator', origin: 'test:ws' };
const supervisor: CallContext = { user: 'sophie', role: 'supervisor', origin: 'test:ws' };
const auditor: CallContext = { user: 'aude', role: 'auditor', origin: 'test:ws' };
const DAY = 86_400_000;

let server: http.Server;
let base = '';
const hits = new Map<string, number>();
const authorizations = new Map<string, string | undefined>();
let core: VigieCore;
let profile: string;
const clock = new TestClock();

beforeAll(async () => {
  const jpeg = phoneJpeg();
  const mp4 = phoneMp4();
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    hits.set(url.split('?')[0]!, (hits.get(url.split('?')[0]!) ?? 0) + 1);
    authorizations.set(url.split('?')[0]!, req.headers.authorization);
    if (url.startsWith('/requests.json')) {
      const at = new Date(clock.now() - 60_000).toISOString();
      const request = (id: string, media: string) => ({ service_request_id: id, status: 'open', service_name: 'Dépôt sauvage', requested_datetime: at, updated_datetime: at, lat: 43.2965, long: 5.3698, media_url: media });
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify([
          request('P1', `${base}/media/bin.jpg`),
          request('V1', `${base}/media/clip.mp4`),
          // "localhost" is another origin than the feed's 127.0.0.1, though the same server.
          request('X1', base.replace('127.0.0.1', 'localhost') + '/media/elsewhere.jpg'),
          request('R1', `${base}/media/redirect.jpg`),
          request('H1', `${base}/media/page.jpg`),
        ]),
      );
    } else if (url === '/media/bin.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.length }).end(jpeg);
    } else if (url === '/media/clip.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4' }).end(mp4);
    } else if (url === '/media/redirect.jpg') {
      res.writeHead(302, { location: base.replace('127.0.0.1', 'localhost') + '/media/elsewhere.jpg' }).end();
    } else if (url === '/media/page.jpg') {
      // Called a JPEG, but a web page: the bytes decide.
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html><body>tracking page</body></html>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = tempDir('vigie-media-');
  fs.writeFileSync(
    path.join(profile, 'config.json'),
    JSON.stringify({ demo: false, feeds: [{ id: 'city311', type: 'open311', url: `${base}/requests.json`, intervalSeconds: 86_400, privacy: { purpose: 'citizen reports', retentionDays: 2 } }] }),
  );
  // The feed's credential (as `vigie credentials` stores it): media requests carry it, to the feed's host only.
  fs.mkdirSync(path.join(profile, 'secrets'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(profile, 'secrets', 'credentials.json'), JSON.stringify({ city311: { bearer: 'city-token' } }), { mode: 0o600 });
  core = new VigieCore(profile, { profileDir: profile, demo: false, clock, policyFile: path.join(profile, 'no-machine-policy.json') });
  core.start();
  await waitFor(() => core.store.incidents.get('city311:H1') !== null, 10_000, 'the Open311 requests stored');
});

afterAll(async () => {
  await core?.close();
  await new Promise((r) => server?.close(r));
});

const mediaHits = () => [...hits].filter(([p]) => p.startsWith('/media/')).reduce((n, [, c]) => n + c, 0);
const journal = (action: string) => core.store.db.prepare('SELECT user, role, kind, target FROM audit WHERE action = ? ORDER BY id').all(action) as { user: string; role: string; kind: string; target: string }[];

describe('citizen photos and videos on reports (issue 22)', () => {
  it('the report keeps a reference only: no request to the media before a person opens it, and no address sent to windows', async () => {
    expect(hits.get('/requests.json')).toBeGreaterThan(0);
    expect(mediaHits()).toBe(0);
    const items = await callAs<MediaItem[]>(core, operator, 'media.list', { incidentId: 'city311:P1' });
    expect(items).toEqual([{ index: 0, type: 'image', thirdParty: false, hidden: false, cached: false }]);
    expect(JSON.stringify(items)).not.toContain('http');
    expect(JSON.stringify(core.store.incidents.get('city311:P1'))).not.toContain('bin.jpg');
    expect(mediaHits()).toBe(0);
  });

  it('opening the photo fetches it once, shows it without any metadata (exifr), and journals the consultation', async () => {
    const shown = await callAs<MediaContent>(core, operator, 'media.open', { incidentId: 'city311:P1', index: 0 });
    expect(hits.get('/media/bin.jpg')).toBe(1);
    expect(authorizations.get('/media/bin.jpg')).toBe('Bearer city-token');
    expect(shown.contentType).toBe('image/jpeg');
    const bytes = Buffer.from(shown.data, 'base64');
    const tags = await exifr.parse(bytes, { gps: true, xmp: true, iptc: true, jfif: false }).catch(() => undefined);
    expect(tags ?? {}).toEqual({});
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
    expect(bytes.includes(SECRET.make)).toBe(false);
    expect(journal('incident.media.open')).toEqual([{ user: 'olivier', role: 'operator', kind: 'consultation', target: 'city311:P1#0' }]);
    // Again: from the profile's cache, no second request; still a consultation in the journal.
    await callAs<MediaContent>(core, operator, 'media.open', { incidentId: 'city311:P1', index: 0 });
    expect(hits.get('/media/bin.jpg')).toBe(1);
    expect(journal('incident.media.open')).toHaveLength(2);
  });

  it('the original is stored nowhere in the profile: no file there holds its GPS-bearing EXIF or its make', () => {
    core.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = fs.readdirSync(profile, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(fs.readFileSync(file).includes(SECRET.make), file).toBe(false);
    expect((core.store.db.prepare('SELECT count(*) FROM media_cache').pluck().get() as number)).toBe(1);
  });

  it('a video plays from a cleaned copy: no ©xyz position, make or model left', async () => {
    const shown = await callAs<MediaContent>(core, operator, 'media.open', { incidentId: 'city311:V1', index: 0 });
    const bytes = Buffer.from(shown.data, 'base64');
    expect(shown.contentType).toBe('video/mp4');
    for (const s of [SECRET.xyz, SECRET.make, SECRET.model]) expect(bytes.includes(s)).toBe(false);
    expect(shown.removed).toEqual(expect.arrayContaining(['moov/udta', 'mvhd times']));
  });

  it('media from another host, a redirect off the feed\'s host, or a page that is not a picture are refused with the reason, and never shown', async () => {
    await expect(callAs(core, operator, 'media.open', { incidentId: 'city311:X1', index: 0 })).rejects.toThrow(/not on the feed's own host/);
    expect(hits.get('/media/elsewhere.jpg')).toBeUndefined();
    await expect(callAs(core, operator, 'media.open', { incidentId: 'city311:R1', index: 0 })).rejects.toThrow(/redirects to http:\/\/localhost.*off the feed's host/);
    expect(hits.get('/media/redirect.jpg')).toBe(1);
    expect(hits.get('/media/elsewhere.jpg')).toBeUndefined();
    await expect(callAs(core, operator, 'media.open', { incidentId: 'city311:H1', index: 0 })).rejects.toThrow(/not a JPEG, PNG or MP4/);
    expect(journal('incident.media.open').map((r) => r.target)).not.toContain('city311:H1#0');
  });

  it('a role without the right sees "hidden"; a supervisor\'s third-party mark hides the picture from operators, journaled', async () => {
    expect(await callAs<MediaItem[]>(core, auditor, 'media.list', { incidentId: 'city311:P1' })).toEqual([expect.objectContaining({ hidden: true, hiddenReason: 'role' })]);
    await expect(callAs(core, auditor, 'media.open', { incidentId: 'city311:P1', index: 0 })).rejects.toThrow(/does not see citizen photos/);
    await expect(callAs(core, operator, 'media.markThirdParty', { incidentId: 'city311:P1', index: 0, thirdParty: true })).rejects.toThrow(/role|not allowed|forbidden/i);
    await callAs(core, supervisor, 'media.markThirdParty', { incidentId: 'city311:P1', index: 0, thirdParty: true });
    expect(journal('incident.media.third_party')).toEqual([{ user: 'sophie', role: 'supervisor', kind: 'action', target: 'city311:P1#0' }]);
    expect(await callAs<MediaItem[]>(core, operator, 'media.list', { incidentId: 'city311:P1' })).toEqual([expect.objectContaining({ thirdParty: true, hidden: true, hiddenReason: 'third_party' })]);
    await expect(callAs(core, operator, 'media.open', { incidentId: 'city311:P1', index: 0 })).rejects.toThrow(/third party/);
    const seen = await callAs<MediaContent>(core, supervisor, 'media.open', { incidentId: 'city311:P1', index: 0 });
    expect(seen.contentType).toBe('image/jpeg');
  });

  it('the wall display and the incident history never carry citizen media: "hidden" by policy, no address, only a count', async () => {
    expect(await callAs<MediaItem[]>(core, supervisor, 'media.list', { incidentId: 'city311:V1', display: 'wall' })).toEqual([expect.objectContaining({ hidden: true, hiddenReason: 'policy' })]);
    await expect(callAs(core, supervisor, 'media.open', { incidentId: 'city311:V1', index: 0, display: 'wall' })).rejects.toThrow(/citizenMedia\.wallDisplay/);
    const history = await callAs<{ kind: string; payload: Record<string, unknown> }[]>(core, operator, 'incidents.history', { id: 'city311:P1' });
    expect(JSON.stringify(history)).not.toContain('/media/');
    expect(history.find((e) => e.kind === 'incident.upsert')?.payload.mediaCount).toBe(1);
  });

  it('IT can let the wall display show them: machine policy citizenMedia.wallDisplay (strict: a typo is refused)', () => {
    expect(MachinePolicy.parse({ citizenMedia: { wallDisplay: true } }).citizenMedia).toEqual({ wallDisplay: true, exports: false });
    expect(MachinePolicy.safeParse({ citizenMedia: { wall: true } }).success).toBe(false);
    const allowed = new MediaService({ store: core.store, feedOf: () => undefined, credentialFor: () => undefined, clock, policy: () => ({ wallDisplay: true }) });
    expect(allowed.list('city311:V1', 'supervisor', 'wall')).toEqual([expect.objectContaining({ hidden: false })]);
    expect(core.services.policy.citizenMedia).toEqual({ wallDisplay: false, exports: false });
  });

  it('the cleaned copies are purged with the feed at its retention (2 days, on the test clock)', () => {
    expect(core.store.db.prepare('SELECT count(*) FROM media_cache').pluck().get()).toBe(2);
    clock.advance(1 * DAY);
    expect(core.store.db.prepare('SELECT count(*) FROM media_cache').pluck().get()).toBe(2);
    clock.advance(1.5 * DAY);
    expect(core.store.db.prepare('SELECT count(*) FROM media_cache').pluck().get()).toBe(0);
    expect(core.store.db.prepare('SELECT count(*) FROM incident_media').pluck().get()).toBe(0);
    const run = core.store.db.prepare("SELECT deleted FROM purge_runs WHERE feed_id = 'city311' ORDER BY id DESC").pluck().get() as string;
    expect(JSON.parse(run)).toMatchObject({ media_cache: 2 });
  });
});
