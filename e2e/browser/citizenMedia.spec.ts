import exifr from 'exifr';
import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { startRouteServer, type RouteServer } from '../../test/feedServers';
import { SECRET, phoneJpeg, phoneMp4 } from '../../test/mediaSamples';

/**
 * Issue 22 as a supervisor lives it: a citizen's Open311 report of a burning bin, with the phone's
 * photo (EXIF GPS, make, model) and a video, on the city's own server. Nothing is fetched until the
 * supervisor shows the photo; what the browser gets has none of the phone's metadata; showing it
 * is in the journal. One server start, one browser page.
 */
test.setTimeout(120_000);

let vigie: RunningVigie;
let city: RouteServer;

test.beforeAll(async () => {
  city = await startRouteServer();
  const jpeg = phoneJpeg();
  const mp4 = phoneMp4();
  const at = new Date(Date.now() - 5 * 60_000).toISOString();
  city.route('/requests.json', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify([
        { service_request_id: 'BIN-1', status: 'open', service_name: 'Feu de poubelle', address: 'Cours Julien', requested_datetime: at, updated_datetime: at, lat: 43.2937, long: 5.3839, media_url: `${city.base}/media/bin.jpg` },
        { service_request_id: 'PIPE-2', status: 'open', service_name: 'Fuite d’eau', requested_datetime: at, updated_datetime: at, lat: 43.3, long: 5.39, media_url: `${city.base}/media/pipe.mp4` },
      ]),
    ),
  );
  city.route('/media/bin.jpg', (_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg));
  city.route('/media/pipe.mp4', (_req, res) => res.writeHead(200, { 'content-type': 'video/mp4' }).end(mp4));
  vigie = await startVigie({
    config: { demo: false, feeds: [{ id: 'city311', type: 'open311', label: 'Signalements citoyens', url: `${city.base}/requests.json`, intervalSeconds: 60, privacy: { purpose: 'citizen reports', retentionDays: 30 } }] },
  });
});

test.afterAll(async () => {
  await vigie?.stop();
  await city?.close();
});

const mediaHits = () => city.hits.filter((h) => h.url.startsWith('/media/')).length;

test('a citizen photo is fetched only when shown, arrives without its metadata, and the showing is journaled', async ({ page }, testInfo) => {
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => typeof f.payload === 'string' && f.payload.includes('"contentType"') && frames.push(f.payload)));
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await expect(vigiePage.incident(/Feu de poubelle/)).toBeVisible({ timeout: 20_000 });
  await vigiePage.incident(/Feu de poubelle/).click();
  const details = vigiePage.details;
  const media = details.getByRole('region', { name: /Photo or video from the report \(1\)/ });
  await expect(media).toBeVisible();
  // Open report, photo listed: still not one request to the city's media.
  expect(mediaHits()).toBe(0);

  await page.keyboard.press('Shift+V');
  const img = media.getByRole('img', { name: /Citizen photo 1 of “Feu de poubelle”/ });
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(64);
  expect(city.hits.filter((h) => h.url === '/media/bin.jpg')).toHaveLength(1);
  // The bytes the browser was sent (the WebSocket frame of media.open), read by exifr: nothing left.
  const frame = frames.find((f) => f.includes('"contentType":"image/jpeg"'));
  expect(frame, 'the media.open answer').toBeDefined();
  const sent = Buffer.from(/"data":"([^"]+)"/.exec(frame!)![1]!, 'base64');
  expect(await exifr.parse(sent, { gps: true, xmp: true, iptc: true, jfif: false }).catch(() => undefined)).toBeUndefined();
  for (const s of [SECRET.make, SECRET.model, SECRET.owner, SECRET.comment]) expect(sent.includes(s)).toBe(false);

  await expect(page.getByRole('button', { name: /Contains a third party/ })).toBeVisible();
  const file = testInfo.outputPath('citizen-photo.png');
  await details.screenshot({ path: file });
  await testInfo.attach('citizen-photo', { path: file, contentType: 'image/png' });

  // Marked as showing a third party (Shift+X): the badge says so, the supervisor still sees it.
  await page.keyboard.press('Shift+X');
  await expect(media.getByText('third party', { exact: true })).toBeVisible();

  // The journal (G) says who looked at which report's photo, and who marked it.
  await page.keyboard.press('g');
  const journal = page.getByRole('dialog', { name: /journal/i });
  await expect(journal.getByText('city311:BIN-1#0').first()).toBeVisible();
  await expect(journal).toContainText('incident.media.open');
  await expect(journal).toContainText('incident.media.third_party');
  await page.keyboard.press('Escape');

  // A video plays in the browser's own player, never by itself.
  await vigiePage.incident(/Fuite d’eau/).click();
  const videoSection = details.getByRole('region', { name: /Photo or video from the report/ });
  await videoSection.getByRole('button', { name: 'Show' }).click();
  const video = videoSection.locator('video');
  await expect(video).toBeAttached();
  expect(await video.evaluate((v: HTMLVideoElement) => ({ controls: v.controls, autoplay: v.autoplay }))).toEqual({ controls: true, autoplay: false });
  expect(city.hits.filter((h) => h.url === '/media/pipe.mp4')).toHaveLength(1);
});
