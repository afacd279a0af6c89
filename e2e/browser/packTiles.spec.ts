import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, vigieCli, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

let vigie: RunningVigie;
test.afterEach(async () => {
  await vigie?.stop();
});

test('a city pack whose points of interest were vector-tiled to PMTiles shows them on the map, read through the service', async ({ page }, testInfo) => {
  // 6,000 points of interest around the Vieux-Port: over the 5,000 from which `pack build` tiles a part.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-pack-'));
  const features = Array.from({ length: 6_000 }, (_, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [5.36 + (i % 80) * 0.0004, 43.285 + Math.floor(i / 80) * 0.0003] },
    properties: { name: `Lieu ${i}` },
  }));
  fs.writeFileSync(path.join(dir, 'pois.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
  const out = path.join(dir, 'pack');
  const said = execFileSync(process.execPath, [vigieCli, 'pack', 'build', '--out', out, '--name', 'Marseille (tuiles)', '--pois', path.join(dir, 'pois.geojson'), '--attribution', 'Données de test'], { encoding: 'utf8' });
  expect(said).toMatch(/Vector-tiled \(pois\): \d+ tiles, zoom \d+–14, in pack\.pmtiles\./);
  expect(fs.existsSync(path.join(out, 'pois.geojson'))).toBe(false);

  vigie = await startVigie({ config: { demo: false, feeds: [], cityPack: out } });
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.evaluate(() => window.vigieMap!.flyTo(5.376, 43.2985, 15));
  await expect.poll(() => page.evaluate(() => window.vigieMap!.renderedBasemapLayers()), { timeout: 20_000 }).toContain('pack-pois');
  await expect(page.getByText('Données de test')).toBeVisible();
  const file = testInfo.outputPath('pack-pois-tiles.png');
  await page.screenshot({ path: file });
  await testInfo.attach('pack-pois-tiles', { path: file, contentType: 'image/png' });
});
