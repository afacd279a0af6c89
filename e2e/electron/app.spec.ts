import { test, expect, _electron as electron } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from '../../main/host/electronBinary';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer } from '../../test/helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));
const binary = findElectron();
const mainScript = path.join(root, 'dist', 'electron', 'main.cjs');

test.skip(!('path' in binary), `Electron binary absent (${'missing' in binary ? binary.missing : ''}): the same story runs in e2e/browser against vigie serve.`);
test.skip(!fs.existsSync(mainScript), 'dist/electron/main.cjs is not built: run `npm run build` first.');

test('the desktop app shows a live incident from a feed, on the list and the map, and keeps it across a restart', async () => {
  const feed = await startFeedServer(featureCollection([]));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-electron-'));
  fs.writeFileSync(path.join(profileDir, 'config.json'), JSON.stringify({ feeds: [{ id: 'city', type: 'geojson', url: feed.url, intervalSeconds: 0.25 }] }));
  const launch = () => electron.launch({ executablePath: (binary as { path: string }).path, args: [mainScript, '--profile', profileDir] });
  try {
    let app = await launch();
    let page = new VigiePage(await app.firstWindow());
    await page.waitForMap();
    // The page is isolated: no Node, only the typed client.
    expect(await page.page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.page.evaluate(() => Object.keys(window.vigie ?? {}).sort())).toEqual(['call', 'on', 'onConnection']);
    feed.setBody(featureCollection([incidentFeature('EL-1', { title: 'Colis suspect gare Saint-Charles' }, [5.3806, 43.3026])]));
    await expect(page.incident(/Colis suspect/)).toBeVisible({ timeout: 2_000 });
    await page.expectIncidentOnMap(5.3806, 43.3026, 'city:EL-1');
    // Navigation away and new windows are denied.
    await page.page.evaluate(() => window.open('https://example.org'));
    expect(app.windows()).toHaveLength(1);
    await app.close();

    app = await launch();
    page = new VigiePage(await app.firstWindow());
    await page.waitForMap();
    await expect(page.incident(/Colis suspect/)).toBeVisible();
    await app.close();
  } finally {
    await feed.close();
  }
});
