import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, vigieCli, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer, type FeedServer } from '../../test/helpers';

/** The real OSM road network of Saint-Germain-en-Laye (OSMnx export), from the shared data beside the checkout. */
const ROADS = path.resolve('..', 'shared', 'data', 'roads', 'st_germain_en_laye_roads_osm.geojson');
const CHATEAU: [number, number] = [2.0958, 48.8979];
const UNITS: [string, string, number, number][] = [
  ['PM-1', 'vehicle', 2.0868, 48.8951],
  ['PM-2', 'vehicle', 2.0801, 48.8963],
  ['PED-1', 'person', 2.0975, 48.8985],
  ['FAR-1', 'vehicle', 55.45, -20.9], // a feed that put a car in La Réunion
];

let vigie: RunningVigie | undefined;
let feeds: FeedServer[] = [];
test.afterEach(async () => {
  await vigie?.stop();
  await Promise.all(feeds.map((f) => f.close()));
});

test('with roads in the city pack, the ranking gives drive times by road, draws the routes, never recommends a unit 9,000 km away; Shift+O shows the coverage', async ({ page }, testInfo) => {
  test.skip(!fs.existsSync(ROADS), `${ROADS} is absent: this story needs the shared real road network`);
  test.setTimeout(360_000); // building the pack from 10,588 real edges comes first; the shared machine is slow
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-roads-'));
  const out = path.join(dir, 'pack');
  const said = execFileSync(process.execPath, [vigieCli, 'pack', 'build', '--out', out, '--name', 'Saint-Germain-en-Laye', '--roads', ROADS, '--attribution', '© OpenStreetMap contributors'], { encoding: 'utf8' });
  expect(said).toMatch(/Roads: 3778 junctions, \d+ drivable and \d+ walkable directed edges in roads\.graph/);

  const t = Date.now();
  const incidents = await startFeedServer(featureCollection([incidentFeature('SG-1', { title: 'Malaise place du Château', priority: 1, category: 'medical' }, CHATEAU)]));
  const units = await startFeedServer(['id,callsign,type,lon,lat,t,status', ...UNITS.map(([id, type, lon, lat]) => `${id},${id.replace('-', ' ')},${type},${lon},${lat},${t},disponible`)].join('\n'));
  feeds = [incidents, units];
  vigie = await startVigie({
    config: {
      demo: false,
      cityPack: out,
      feeds: [
        { id: 'city', type: 'geojson', label: 'Ville (test)', url: incidents.url, intervalSeconds: 0.5, timeoutSeconds: 2 },
        { id: 'avl', type: 'csv', label: 'AVL (test)', url: units.url, intervalSeconds: 0.5, timeoutSeconds: 2, options: { kind: 'unit', timeFormat: 'epoch_ms', columns: { unitId: 'id', callsign: 'callsign', unitType: 'type', lon: 'lon', lat: 'lat', t: 't', status: 'status' } } },
      ],
    },
  });
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await vigiePage.incident(/Malaise place du Château/).click();
  const ranking = vigiePage.details.getByRole('list', { name: 'Recommended units' });
  await expect(ranking.getByRole('listitem')).toHaveCount(4);
  // Ranked over the roads, each with its road distance and drive time.
  await expect(vigiePage.details.getByText(/Ranked by ETA \(road-network-v1\)/)).toBeVisible();
  const first = ranking.getByRole('listitem').first();
  await expect(first).toContainText('recommended');
  await expect(first).toContainText(/ETA \d+:\d\d · by road/);
  // The unit in La Réunion: last, by straight line, flagged, and never offered.
  const far = ranking.getByRole('listitem', { name: /FAR 1/ });
  await expect(far).toContainText('straight line (no road) · too far: check its position');
  await expect(far.getByRole('button')).toHaveCount(0);
  await expect(ranking.getByRole('listitem').last()).toHaveAttribute('aria-label', /FAR 1/);

  // The streets of the pack, with their names, and the routes of the first units on the map.
  await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 15), [2.091, 48.8965]);
  await expect.poll(() => page.evaluate(() => window.vigieMap!.drawnLayers()), { timeout: 15_000 }).toContain('routes');
  await expect.poll(() => page.evaluate(() => window.vigieMap!.renderedBasemapLayers()), { timeout: 20_000 }).toEqual(expect.arrayContaining(['pack-roads-street', 'pack-roads-names']));
  await expect(page.getByText('© OpenStreetMap contributors')).toBeVisible();
  const routesShot = testInfo.outputPath('road-dispatch-routes.png');
  await page.screenshot({ path: routesShot });
  await testInfo.attach('road-dispatch-routes', { path: routesShot, contentType: 'image/png' });

  // Coverage: Shift+O shows which streets the available units reach in 5, 10, 15 minutes; again hides it.
  await page.evaluate(() => window.vigieMap!.flyTo(2.088, 48.897, 13.6));
  await page.keyboard.press('Shift+O');
  await expect.poll(() => page.evaluate(() => window.vigieMap!.drawnLayers()), { timeout: 15_000 }).toContain('coverage');
  await expect(page.getByRole('checkbox', { name: 'Open only' })).toBeChecked(); // plain O's filter untouched
  await expect(page.getByText('Reached within 5 min')).toBeVisible();
  const coverageShot = testInfo.outputPath('road-coverage.png');
  await page.screenshot({ path: coverageShot });
  await testInfo.attach('road-coverage', { path: coverageShot, contentType: 'image/png' });
  await page.keyboard.press('Shift+O');
  await expect.poll(() => page.evaluate(() => window.vigieMap!.drawnLayers())).not.toContain('coverage');
});
