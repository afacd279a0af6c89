import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { startFeedServer, type FeedServer } from '../../test/helpers';

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, '+00:00');
/** A camera of a SensorThings feed with a stream, away from the demo's cameras. */
const CAMERA: [number, number] = [5.4412, 43.2601];
const ALERT_CENTRE: [number, number] = [5.42, 43.285];

function capAlert(now: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>E2E-FLOOD-2</identifier><sender>prevision@example.org</sender><sent>${iso(now - 60_000)}</sent>
  <status>Actual</status><msgType>Update</msgType><scope>Public</scope><references>prevision@example.org,E2E-FLOOD-1,${iso(now - 3_600_000)}</references>
  <info><category>Met</category><event>Crue de l'Huveaune</event><urgency>Expected</urgency><severity>Severe</severity>
    <certainty>Likely</certainty><expires>${iso(now + 3 * 3_600_000)}</expires><headline>Crue de l'Huveaune : vigilance orange</headline>
    <instruction>Évitez les berges.</instruction>
    <area><areaDesc>Vallée de l'Huveaune</areaDesc><polygon>43.27,5.40 43.28,5.45 43.30,5.44 43.29,5.39 43.27,5.40</polygon></area>
  </info>
</alert>`;
}

const things = JSON.stringify({
  value: [
    {
      '@iot.id': 'cam-e2e',
      name: 'Caméra Saint-Marcel',
      properties: { type: 'CCTV', heading: 90, fieldOfView: 70, range: 90, streamUrl: 'rtsp://video.example.org/saint-marcel' },
      Locations: [{ location: { type: 'Point', coordinates: CAMERA } }],
      Datastreams: [{ '@iot.id': 's1', name: 'Camera status', ObservedProperty: { name: 'status' }, Observations: [{ phenomenonTime: new Date().toISOString(), result: 'online' }] }],
    },
  ],
});

async function pickAt(page: Page, [lon, lat]: [number, number], layers: string[]) {
  return page.evaluate(([x, y, ids]) => {
    const p = window.vigieMap!.project(x as number, y as number);
    return window.vigieMap!.pick(p.x, p.y, ids as string[])?.id ?? null;
  }, [lon, lat, layers] as const);
}

async function clickAt(page: Page, [lon, lat]: [number, number]) {
  const p = await page.evaluate(([x, y]) => window.vigieMap!.project(x!, y!), [lon, lat]);
  await page.mouse.click(p.x, p.y);
}

// Three stories in one test, on software WebGL: longer than the default minute on a busy machine.
test.setTimeout(150_000);

let vigie: RunningVigie;
let cap: FeedServer;
let sta: FeedServer;

test.beforeEach(async () => {
  cap = await startFeedServer(capAlert(Date.now()));
  sta = await startFeedServer(things);
  vigie = await startVigie({
    config: {
      demo: true,
      feeds: [
        { id: 'vigicrues', type: 'cap', label: 'Vigicrues (test)', url: cap.url, intervalSeconds: 1 },
        { id: 'sta', type: 'sensorthings', label: 'Vidéoprotection (test)', url: sta.url, intervalSeconds: 1 },
      ],
    },
  });
});
test.afterEach(async () => {
  await vigie?.stop();
  await cap?.close();
  await sta?.close();
});

test('clicking a CAP alert, a camera and a unit opens each one’s details; the camera and its stream are journaled', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);

  // The alert: headline, the three CAP qualifiers, area, expiry and the message it replaces.
  await expect.poll(() => pickAt(page, ALERT_CENTRE, ['alerts']), { timeout: 15_000 }).toMatch(/^vigicrues:E2E-FLOOD-2/);
  await clickAt(page, ALERT_CENTRE);
  const alert = page.getByRole('region', { name: 'Alert details' });
  await expect(alert.getByRole('heading', { name: "Crue de l'Huveaune : vigilance orange" })).toBeVisible();
  for (const text of ['Severe', 'Expected', 'Likely', "Vallée de l'Huveaune", 'E2E-FLOOD-1', 'Évitez les berges.']) await expect(alert).toContainText(text);
  await expect(alert.getByText(/^Expires$/)).toBeVisible();
  await shot(page, testInfo, 'alert-details');

  // The camera: geometry, a privacy note, and its stream address only after "Open stream".
  await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 16.5), CAMERA);
  await expect.poll(() => pickAt(page, CAMERA, ['cameras']), { timeout: 15_000 }).toBe('sta:cam-e2e');
  await clickAt(page, CAMERA);
  const camera = page.getByRole('region', { name: 'Camera details' });
  await expect(camera.getByRole('heading', { name: 'Caméra Saint-Marcel' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Alert details' })).toHaveCount(0);
  for (const text of ['Online', '90° E', '70°', '90 m', 'Vidéoprotection (test)', 'shows no images and recognises no one']) await expect(camera).toContainText(text);
  await expect(camera).not.toContainText('rtsp://');
  await camera.getByRole('button', { name: 'Open stream' }).click();
  await expect(camera.getByLabel('Stream address')).toHaveValue('rtsp://video.example.org/saint-marcel');
  await shot(page, testInfo, 'camera-details');

  // A unit of the demo: callsign, speed and heading, last fix, feed. Units move: click where it is drawn now.
  await expect.poll(() => page.evaluate(() => window.vigieMap!.units().length)).toBeGreaterThan(5);
  const unit = (await page.evaluate(() => window.vigieMap!.units()))[0]!;
  const details = page.getByRole('region', { name: 'Unit details' });
  await expect
    .poll(async () => {
      const at = (await page.evaluate((id) => window.vigieMap!.units().find((u) => u.id === id)!, unit.id))!;
      await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 15), [at.lon, at.lat]);
      await vigiePage.waitForMapIdle();
      const now = (await page.evaluate((id) => window.vigieMap!.units().find((u) => u.id === id)!, unit.id))!;
      if ((await pickAt(page, [now.lon, now.lat], ['units'])) !== unit.id) return false;
      await clickAt(page, [now.lon, now.lat]);
      return details.isVisible();
    }, { timeout: 30_000 })
    .toBe(true);
  await expect(details.getByRole('heading', { name: unit.callsign! })).toBeVisible();
  for (const text of ['km/h', 'Last position', 'ago', 'Assigned to', 'Démonstration (simulé)']) await expect(details).toContainText(text);
  await shot(page, testInfo, 'unit-details');

  // The journal shows both camera consultations, by this user, on this camera.
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await page.keyboard.press('g');
  const journal = page.getByRole('table', { name: 'Audit journal' });
  await expect(journal.getByRole('row').filter({ hasText: 'camera.view' }).filter({ hasText: 'sta:cam-e2e' })).toHaveCount(1);
  await expect(journal.getByRole('row').filter({ hasText: 'camera.stream' }).filter({ hasText: 'sta:cam-e2e' })).toHaveCount(1);
  await shot(page, testInfo, 'journal-camera-rows');
});

test('with the map focused, Tab goes through what is in view, Enter opens its details, Esc closes them, and Tab leaves past the last', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  // Around the test camera only the camera (and the alert's label point, further away) is in view.
  await expect.poll(() => page.evaluate(() => window.vigieMap!.cameras().some((c) => c.id === 'sta:cam-e2e')), { timeout: 15_000 }).toBe(true);
  await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 17.5), CAMERA);
  await page.locator('.maplibregl-canvas').focus();
  const status = page.locator('.map-focus-live');
  let found = false;
  const seen: string[] = [];
  for (let i = 0; i < 40 && !found; i++) {
    await page.keyboard.press('Tab');
    const text = (await status.textContent()) ?? '';
    seen.push(text);
    found = text.startsWith('Camera Caméra Saint-Marcel');
  }
  expect(found, `announced: ${seen.join(' | ')}`).toBe(true);
  await expect(status).toContainText(/of \d+\. Enter opens its details\./);
  await shot(page, testInfo, 'keyboard-focus-camera');
  await page.keyboard.press('Enter');
  const camera = page.getByRole('region', { name: 'Camera details' });
  await expect(camera.getByRole('heading', { name: 'Caméra Saint-Marcel' })).toBeVisible();
  await expect(page.locator('.maplibregl-canvas')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(camera).toHaveCount(0);
  await expect(vigiePage.details).toContainText('Select an incident');

  // Tab through to the end: the last Tab leaves the map.
  for (let i = 0; i < 60 && (await page.locator('.maplibregl-canvas').evaluate((c) => c === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(page.locator('.maplibregl-canvas')).not.toBeFocused();
  await expect(status).toBeEmpty();
});
