import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigieCore } from '../../core';
import type { CallContext } from '../../rpc';
import type { MediaContent, MediaItem } from '../../../../common/domain/media';
import { TestClock } from '../../../../test/clock';
import { callAs } from '../../../../test/core';
import { waitFor } from '../../../../test/feedServers';
import { tempDir } from '../../../../test/helpers';
import { SECRET, phoneJpeg } from '../../../../test/mediaSamples';
import type { IntakeFeed } from './intake';

/**
 * The citizen-report intake (issue 22) with a real HTTP client on loopback: Node's fetch with
 * FormData builds the multipart body (we did not write that encoder), as a city's app would.
 */
const KEY = 'ville-app-secret-key-0123456789';
const operator: CallContext = { user: 'olivier', role: 'operator', origin: 'test:ws' };
const clock = new TestClock();
let core: VigieCore;
let profile: string;
let endpoint = '';

beforeAll(async () => {
  profile = tempDir('vigie-intake-');
  const keySha256 = crypto.createHash('sha256').update(KEY).digest('hex');
  fs.writeFileSync(
    path.join(profile, 'config.json'),
    JSON.stringify({
      demo: false,
      feeds: [
        {
          id: 'citizen-app', type: 'open311', transport: 'intake', label: 'Appli citoyenne',
          listen: { host: '127.0.0.1', port: 0 },
          intake: { clients: { 'ville-app': { keySha256 } }, perMinute: 5, maxBodyBytes: 200_000, maxMediaBytes: 100_000 },
          options: { defaultCategory: 'other' },
          privacy: { purpose: 'reports from the public', retentionDays: 30 },
        },
      ],
    }),
  );
  core = new VigieCore(profile, { profileDir: profile, demo: false, clock, policyFile: path.join(profile, 'no-machine-policy.json') });
  core.start();
  const feed = core.services.scheduler.get('citizen-app') as IntakeFeed;
  await waitFor(() => feed.port !== null, 5_000, 'the intake listening');
  endpoint = `http://127.0.0.1:${feed.port}/requests.json`;
});

afterAll(async () => {
  await core?.close();
});

function report(fields: Record<string, string>, media?: { bytes: Buffer; type: string; name: string }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (media) form.append('media', new Blob([media.bytes], { type: media.type }), media.name);
  return form;
}

const citizen = { api_key: KEY, service_code: 'dechets', service_name: 'Dépôt sauvage', lat: '43.2951', long: '5.3747', address_string: 'Quai du Port', first_name: 'Jeanne', last_name: 'Martin', email: 'jeanne.martin@example.org', phone: '+33 6 12 34 56 78', device_id: 'IMEI-356938035643809', description: 'Le voisin Jean Dupont a encore jeté ses sacs' };
const quarantined = () => core.store.quarantine.list(50, 'citizen-app');

describe('reports from the public: the Open311 POST intake', () => {
  it('a report with a phone photo is stored as an incident; the photo is cleaned before it is kept; the citizen is not', async () => {
    const res = await fetch(endpoint, { method: 'POST', body: report(citizen, { bytes: phoneJpeg(), type: 'image/jpeg', name: 'IMG_0042.jpg' }) });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id;
    expect(id).toMatch(/^ville-app-/);
    const incident = core.store.incidents.get(`citizen-app:${id}`);
    expect(incident).toMatchObject({ title: 'Dépôt sauvage', address: 'Quai du Port', lat: 43.2951, lon: 5.3747, status: 'new' });
    // Nothing about the person who reported it, anywhere in the profile (the photo's EXIF included).
    core.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = fs.readdirSync(profile, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const s of ['Jeanne', 'jeanne.martin', '12 34 56 78', 'IMEI-356938035643809', 'Jean Dupont', SECRET.make, SECRET.model, 'IMG_0042']) expect(bytes.includes(s), `${s} in ${file}`).toBe(false);
    }
    const items = await callAs<MediaItem[]>(core, operator, 'media.list', { incidentId: `citizen-app:${id}` });
    expect(items).toEqual([{ index: 0, type: 'image', thirdParty: false, hidden: false, cached: true }]);
    const shown = await callAs<MediaContent>(core, operator, 'media.open', { incidentId: `citizen-app:${id}`, index: 0 });
    expect(await exifr.parse(Buffer.from(shown.data, 'base64'), { gps: true, xmp: true, iptc: true, jfif: false }).catch(() => undefined)).toBeUndefined();
  });

  it('the plain GeoReport v2 form (application/x-www-form-urlencoded) is accepted too', async () => {
    const res = await fetch(endpoint, { method: 'POST', body: new URLSearchParams({ api_key: KEY, service_name: 'Lampadaire cassé', lat: '43.30', long: '5.38' }) });
    expect(res.status).toBe(201);
  });

  it('no key, a wrong key, a GET: refused, nothing stored', async () => {
    const before = core.store.db.prepare("SELECT count(*) FROM incidents WHERE feed_id = 'citizen-app'").pluck().get();
    const none = await fetch(endpoint, { method: 'POST', body: new URLSearchParams({ service_name: 'x', lat: '43.3', long: '5.38' }) });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { description: string }[])[0]!.description).toMatch(/api_key/);
    expect((await fetch(endpoint, { method: 'POST', body: new URLSearchParams({ api_key: 'guess', service_name: 'x', lat: '43.3', long: '5.38' }) })).status).toBe(401);
    expect((await fetch(endpoint)).status).toBe(405);
    expect(core.store.db.prepare("SELECT count(*) FROM incidents WHERE feed_id = 'citizen-app'").pluck().get()).toBe(before);
  });

  it('a report without a place is quarantined with its reason, and the app is told why', async () => {
    const res = await fetch(endpoint, { method: 'POST', body: new URLSearchParams({ api_key: KEY, service_name: 'Sans lieu', email: 'x@example.org' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { description: string }[])[0]!.description).toMatch(/lat\/long: missing/);
    const entry = quarantined().find((q) => q.raw.includes('Sans lieu'))!;
    expect(entry.reason).toMatch(/lat\/long: missing/);
    expect(entry.raw).not.toContain('x@example.org');
  });

  it('a file that cannot be cleaned (a GIF) refuses the report, quarantined with the reason and without the file', async () => {
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(40, 7)]);
    const res = await fetch(endpoint, { method: 'POST', body: report({ ...citizen, service_name: 'Avec GIF' }, { bytes: gif, type: 'image/gif', name: 'a.gif' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { description: string }[])[0]!.description).toMatch(/media: not a JPEG, PNG or MP4/);
    const entry = quarantined().find((q) => q.raw.includes('Avec GIF'))!;
    expect(entry.reason).toMatch(/^media: not a JPEG/);
    expect(entry.raw).toContain('refused, not kept');
    expect(entry.raw).not.toContain('GIF89a');
  });

  it('size and rate limits: an oversize request gets 413; a sixth report in a minute 429, accepted again a minute later', async () => {
    const big = await fetch(endpoint, { method: 'POST', body: report(citizen, { bytes: Buffer.alloc(300_000, 1), type: 'image/jpeg', name: 'big.jpg' }) });
    expect(big.status).toBe(413);
    clock.advance(61_000);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(endpoint, { method: 'POST', body: new URLSearchParams({ api_key: KEY, service_name: `Report ${i}`, lat: '43.3', long: '5.38' }) })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    clock.advance(61_000);
    expect((await fetch(endpoint, { method: 'POST', body: new URLSearchParams({ api_key: KEY, service_name: 'Later', lat: '43.3', long: '5.38' }) })).status).toBe(201);
  });
});
