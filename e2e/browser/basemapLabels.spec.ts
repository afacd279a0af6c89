import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

const firenze = path.resolve('..', 'shared', 'data', 'basemap', 'firenze_protomaps_vector_ODbL.pmtiles');
let vigie: RunningVigie;
test.afterEach(async () => {
  await vigie?.stop();
});

test('a Protomaps basemap shows place and street names, drawn from the bundled font with nothing fetched', async ({ page }, testInfo) => {
  test.skip(!fs.existsSync(firenze), 'needs ../shared/data/basemap/firenze_protomaps_vector_ODbL.pmtiles');
  vigie = await startVigie({ config: { demo: false, feeds: [], basemap: { type: 'pmtiles', path: firenze } } });
  const outside: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['data:', 'blob:'].includes(url.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) outside.push(r.url());
  });
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.evaluate(() => window.vigieMap!.flyTo(11.2558, 43.7696, 15));
  await expect.poll(() => page.evaluate(() => window.vigieMap!.renderedBasemapLayers()), { timeout: 30_000 }).toEqual(expect.arrayContaining(['pm-places', 'pm-roads-labels']));
  const shot = testInfo.outputPath('firenze-labels.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('firenze-labels', { path: shot, contentType: 'image/png' });
  expect(outside).toEqual([]);
});
