import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

type Cam = { id: string; name?: string; lon: number; lat: number; heading?: number; fieldOfView?: number; range?: number };

/** A point `m` metres from the camera along a bearing (degrees clockwise from north). */
function offset(c: { lon: number; lat: number }, bearing: number, m: number): [number, number] {
  const b = (bearing * Math.PI) / 180;
  return [c.lon + (Math.sin(b) * m) / (111_320 * Math.cos((c.lat * Math.PI) / 180)), c.lat + (Math.cos(b) * m) / 110_540];
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

async function screenPoint(page: Page, [lon, lat]: [number, number]) {
  return page.evaluate(([x, y]) => window.vigieMap!.project(x!, y!), [lon, lat]);
}

async function pickAt(page: Page, at: [number, number], layerIds: string[], dy = 0) {
  return page.evaluate(([x, y, d, ids]) => {
    const p = window.vigieMap!.project(x as number, y as number);
    return window.vigieMap!.pick(p.x, p.y + (d as number), ids as string[])?.id ?? null;
  }, [at[0], at[1], dy, layerIds] as const);
}

/** A camera with a cone and no other camera within reach, so picks at its cone are unambiguous. */
async function isolatedCamera(page: Page): Promise<Cam> {
  await expect.poll(() => page.evaluate(() => window.vigieMap!.cameras().length)).toBeGreaterThan(10);
  const cams = await page.evaluate(() => window.vigieMap!.cameras());
  const dist = (a: Cam, b: Cam) => Math.hypot((a.lon - b.lon) * 81_000, (a.lat - b.lat) * 110_540);
  const cam = cams.find((c) => c.range && c.heading !== undefined && c.fieldOfView && cams.every((o) => o === c || dist(o, c) > (o.range ?? 0) + (c.range ?? 0) + 20));
  if (!cam) throw new Error('the demo has no isolated camera with a view cone');
  return cam as Cam;
}

let vigie: RunningVigie;
test.afterEach(async () => {
  await vigie?.stop();
});

test.describe('live layers on the demo picture', () => {
  test.beforeEach(async () => {
    vigie = await startVigie({ args: [] });
  });

  test('a camera’s view cone is drawn where it looks, and the layer toggle hides it', async ({ page }, testInfo) => {
    const vigiePage = new VigiePage(page);
    await vigiePage.open(vigie.url);
    const cam = await isolatedCamera(page);
    await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 16.5), [cam.lon, cam.lat]);
    const inside = offset(cam, cam.heading!, cam.range! / 2);
    const behind = offset(cam, cam.heading! + 180, cam.range! / 2);
    await expect.poll(() => pickAt(page, inside, ['camera-cones'])).toBe(cam.id);
    expect(await pickAt(page, behind, ['camera-cones'])).toBeNull();
    await shot(page, testInfo, 'camera-cone');

    const panel = page.getByRole('region', { name: 'Layers' });
    await panel.getByRole('checkbox', { name: 'Cameras' }).uncheck();
    await expect.poll(() => pickAt(page, inside, ['camera-cones'])).toBeNull();
    await shot(page, testInfo, 'cameras-hidden');
    await page.keyboard.press('Shift+Digit3'); // Cameras are third in the panel
    await expect(panel.getByRole('checkbox', { name: 'Cameras' })).toBeChecked();
    await expect.poll(() => pickAt(page, inside, ['camera-cones'])).toBe(cam.id);
  });

  test('right-click a point: the cameras that see it are listed, and not those that do not', async ({ page }, testInfo) => {
    const vigiePage = new VigiePage(page);
    await vigiePage.open(vigie.url);
    const cam = await isolatedCamera(page);
    await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 16.5), [cam.lon, cam.lat]);
    const label = cam.name ?? cam.id.split(':')[1]!;

    const inside = await screenPoint(page, offset(cam, cam.heading!, cam.range! * 0.6));
    await page.mouse.click(inside.x, inside.y, { button: 'right' });
    await page.getByRole('menuitem', { name: 'Cameras that see this point' }).click();
    const seeing = page.getByRole('region', { name: 'Cameras that see this point' });
    await expect(seeing.getByRole('list')).toContainText(label);
    await shot(page, testInfo, 'cameras-that-see-this-point');
    await seeing.getByRole('button', { name: 'Close the camera list' }).click();

    const outside = await screenPoint(page, offset(cam, cam.heading! + cam.fieldOfView! / 2 + 25, cam.range! * 0.6));
    await page.mouse.click(outside.x, outside.y, { button: 'right' });
    await page.getByRole('menuitem', { name: 'Cameras that see this point' }).click();
    await expect(seeing).toBeVisible();
    await expect(seeing).not.toContainText(label);
  });

  test('units are drawn as arrows at their position with their callsign beneath', async ({ page }, testInfo) => {
    const vigiePage = new VigiePage(page);
    await vigiePage.open(vigie.url);
    await expect.poll(() => page.evaluate(() => window.vigieMap!.units().length)).toBeGreaterThan(5);
    const unit = (await page.evaluate(() => window.vigieMap!.units()))[0]!;
    await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 15), [unit.lon, unit.lat]);
    // Units move every 2 s: look the unit up again each time, and pick where it is drawn now.
    const pickUnit = (layer: string, dy: number) =>
      page.evaluate(([id, l, d]) => {
        const u = window.vigieMap!.units().find((x) => x.id === id)!;
        const p = window.vigieMap!.project(u.lon, u.lat);
        return window.vigieMap!.pick(p.x, p.y + (d as number), [l as string])?.id ?? null;
      }, [unit.id, layer, dy] as const);
    await expect.poll(() => pickUnit('units', 0), { timeout: 15_000 }).toBe(unit.id);
    await expect.poll(() => pickUnit('unit-labels', 24), { timeout: 15_000 }).toBe(unit.id);
    await shot(page, testInfo, 'unit-label');
  });

  test('units glide from one report to the next, and step without gliding when the system asks for reduced motion; between steps the map asks for few frames', async ({ browser }) => {
    // Frames the map draws from one report of the demo's units to the next (every 2 s): a glide is drawn frame
    // by frame, a step once. The e2e settings ask for reduced motion (playwright.config.ts); both are
    // measured here, one after the other, on the same picture. Between two steps nothing moves, and the
    // page stops asking for a frame 60 times a second (renderer/map/paceFrames.ts).
    const framesOverOneReport = async (reducedMotion: 'reduce' | 'no-preference') => {
      const context = await browser.newContext({ reducedMotion, viewport: { width: 1600, height: 900 } });
      try {
        const page = await context.newPage();
        await page.addInitScript(() => {
          const w = window as unknown as { __deckDraws: number; __frames: number };
          w.__deckDraws = 0;
          w.__frames = 0;
          const raf = window.requestAnimationFrame.bind(window);
          window.requestAnimationFrame = (callback) => {
            w.__frames++;
            return raf(callback);
          };
          const proto = WebGL2RenderingContext.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
          for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
            const original = proto[name]!;
            proto[name] = function (this: WebGL2RenderingContext, ...args: unknown[]) {
              if ((this.canvas as HTMLCanvasElement).id === 'deckgl-overlay') w.__deckDraws++;
              return original.apply(this, args);
            };
          }
        });
        const vigiePage = new VigiePage(page);
        await vigiePage.open(vigie.url);
        await expect.poll(() => page.evaluate(() => window.vigieMap!.units().length)).toBeGreaterThan(5);
        const positions = () => page.evaluate(() => JSON.stringify(window.vigieMap!.units().map((u) => [u.id, u.lon, u.lat])));
        const nextReport = async () => {
          const before = await positions();
          await expect.poll(positions, { intervals: [50] }).not.toBe(before);
        };
        const counts = () => page.evaluate(() => {
          const w = window as unknown as { __deckDraws: number; __frames: number };
          return { draws: w.__deckDraws, frames: w.__frames, at: performance.now() };
        });
        await nextReport();
        const before = await counts();
        await nextReport();
        const after = await counts();
        return { draws: after.draws - before.draws, framesPerSecond: (after.frames - before.frames) / ((after.at - before.at) / 1000) };
      } finally {
        await context.close();
      }
    };
    const gliding = await framesOverOneReport('no-preference');
    const stepping = await framesOverOneReport('reduce');
    expect(stepping.draws).toBeGreaterThan(0);
    expect(gliding.draws).toBeGreaterThan(4 * stepping.draws);
    // Between two steps nothing needs drawing: fewer than half the 60 frames a second deck.gl’s loop asks for on its
    // own (15 here with paceFrames, 60 without).
    expect(stepping.framesPerSecond).toBeLessThan(30);
  });
});

/** Records every request that leaves the machine (anything but loopback, data: and blob:). */
function recordOutsideRequests(page: Page): string[] {
  const outside: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['data:', 'blob:'].includes(url.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) outside.push(r.url());
  });
  return outside;
}

test('the city at low zoom: incidents aggregate into clusters, the layer panel shows legend and data age; nothing is fetched from outside', async ({ page }, testInfo) => {
  vigie = await startVigie({ args: [] });
  const outside = recordOutsideRequests(page);
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await expect(page.getByRole('region', { name: 'Layers' })).toContainText(/updated \d+ s ago/);
  await page.evaluate(() => window.vigieMap!.flyTo(5.39, 43.29, 11));
  await expect.poll(() => page.evaluate(() => window.vigieMap!.drawnLayers())).toContain('incident-clusters');
  await page.getByRole('region', { name: 'Layers' }).getByRole('checkbox', { name: 'Forecasts (areas)' }).check();
  await expect.poll(() => page.evaluate(() => window.vigieMap!.drawnLayers())).toContain('forecasts');
  await shot(page, testInfo, 'overview-clusters-forecast');
  const zoomBefore = await page.evaluate(() => window.vigieMap!.zoom());
  await page.mouse.move(800, 450);
  await page.mouse.wheel(0, -600);
  await page.mouse.down();
  await page.mouse.move(700, 380, { steps: 5 });
  await page.mouse.up();
  // The gesture took effect and every tile it asked for is in: only then is "nothing left the machine" true.
  await expect.poll(() => page.evaluate(() => window.vigieMap!.zoom())).toBeGreaterThan(zoomBefore);
  await vigiePage.waitForMapIdle();
  expect(outside).toEqual([]);
});

const firenze = path.resolve('..', 'shared', 'data', 'basemap', 'firenze_protomaps_vector_ODbL.pmtiles');

test('an offline PMTiles basemap (Protomaps, Firenze) draws with no request leaving the machine', async ({ page }, testInfo) => {
  test.skip(!fs.existsSync(firenze), 'needs ../shared/data/basemap/firenze_protomaps_vector_ODbL.pmtiles');
  vigie = await startVigie({ config: { demo: true, basemap: { type: 'pmtiles', path: firenze } } });
  const outside = recordOutsideRequests(page);
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await expect.poll(() => page.evaluate(() => window.vigieMap!.renderedBasemapLayers()), { timeout: 20_000 }).toEqual(expect.arrayContaining(['pm-earth', 'pm-roads-major']));
  await expect(page.getByText(/OpenStreetMap/)).toBeVisible();
  await shot(page, testInfo, 'pmtiles-firenze');
  // Pan and zoom: still nothing but loopback.
  await page.evaluate(() => window.vigieMap!.flyTo(11.25, 43.77, 15));
  await page.mouse.move(800, 450);
  await page.mouse.wheel(0, 400);
  // Zoomed out, and the basemap drawn again at the new zoom (its tiles were requested and read).
  await expect.poll(() => page.evaluate(() => window.vigieMap!.zoom())).toBeLessThan(15);
  await expect.poll(() => page.evaluate(() => window.vigieMap!.renderedBasemapLayers()), { timeout: 20_000 }).toEqual(expect.arrayContaining(['pm-earth', 'pm-roads-major']));
  await shot(page, testInfo, 'pmtiles-firenze-zoomed');
  expect(outside).toEqual([]);
});

test('a CAP alert is drawn as its area with severity and expiry, and the forecast colours the hotspot cell', async ({ page }, testInfo) => {
  const { startFeedServer, featureCollection, incidentFeature } = await import('../../test/helpers');
  const now = Date.now();
  const iso = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, '+00:00');
  const cap = await startFeedServer(`<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>E2E-FLOOD-1</identifier><sender>prevision@example.org</sender><sent>${iso(now - 60_000)}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Met</category><event>Crue de l'Huveaune</event><urgency>Expected</urgency><severity>Severe</severity>
    <certainty>Likely</certainty><expires>${iso(now + 3 * 3_600_000)}</expires>
    <area><areaDesc>Vallée de l'Huveaune</areaDesc><polygon>43.27,5.40 43.28,5.45 43.30,5.44 43.29,5.39 43.27,5.40</polygon></area>
  </info>
</alert>`);
  const VIEUX_PORT: [number, number] = [5.3747, 43.2951];
  const incidents = await startFeedServer(
    featureCollection(Array.from({ length: 12 }, (_, i) => incidentFeature(`H${i}`, { occurredAt: new Date(now - (i + 1) * 3 * 3_600_000).toISOString(), status: 'closed' }, VIEUX_PORT))),
  );
  try {
    vigie = await startVigie({
      config: {
        feeds: [
          { id: 'vigicrues', type: 'cap', label: 'Vigicrues (test)', url: cap.url, intervalSeconds: 1 },
          { id: 'city', type: 'geojson', label: 'Ville (test)', url: incidents.url, intervalSeconds: 1 },
        ],
      },
    });
    const vigiePage = new VigiePage(page);
    await vigiePage.open(vigie.url);
    const areaCentre: [number, number] = [5.42, 43.285];
    await expect.poll(() => page.evaluate(([x, y]) => { const p = window.vigieMap!.project(x!, y!); return window.vigieMap!.pick(p.x, p.y, ['alerts'])?.id ?? null; }, areaCentre), { timeout: 15_000 }).toMatch(/^vigicrues:E2E-FLOOD-1.*#p0$/);
    const p = await screenPoint(page, areaCentre);
    await page.mouse.move(p.x, p.y);
    await expect(page.getByText(/Crue de l'Huveaune · Severe · until/)).toBeVisible();
    await shot(page, testInfo, 'cap-alert');

    await page.getByRole('region', { name: 'Layers' }).getByRole('checkbox', { name: 'Forecasts (areas)' }).check();
    await expect(page.getByText(/auto model, from 12 incidents, 250 m cells/)).toBeVisible();
    await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 14), VIEUX_PORT);
    // Forecast cells have no id of their own: the assertion is that the forecast layer is drawn at the hotspot.
    await expect.poll(() => page.evaluate(([x, y]) => { const q = window.vigieMap!.project(x!, y!); return window.vigieMap!.pick(q.x, q.y, ['forecasts'])?.layer ?? null; }, VIEUX_PORT)).toBe('forecasts');
    const q = await screenPoint(page, VIEUX_PORT);
    await page.mouse.move(q.x, q.y);
    await expect(page.getByText(/incidents expected \(90 %: \d+–\d+\), rank 1/)).toBeVisible();
    await shot(page, testInfo, 'forecast-hotspot');
  } finally {
    await cap.close();
    await incidents.close();
  }
});
