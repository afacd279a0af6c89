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

test.skip(!('path' in binary), `Electron binary absent (${'missing' in binary ? binary.missing : ''}): e2e/browser/popOut.spec.ts runs the same story in browser tabs.`);
test.skip(!fs.existsSync(mainScript), 'dist/electron/main.cjs is not built: run `npm run build` first.');

test('a panel pops out into a second BrowserWindow that follows the selection and acts live; no other window can be opened', async () => {
  const feed = await startFeedServer(featureCollection([incidentFeature('EL-2', { title: 'Accident rue de Rome', category: 'traffic_accident' }, [5.3795, 43.2925])]));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-electron-'));
  fs.writeFileSync(path.join(profileDir, 'config.json'), JSON.stringify({ demo: false, feeds: [{ id: 'city', type: 'geojson', url: feed.url, intervalSeconds: 0.25 }] }));
  const app = await electron.launch({ executablePath: (binary as { path: string }).path, args: [mainScript, '--profile', profileDir] });
  try {
    const main = new VigiePage(await app.firstWindow());
    await main.waitForMap();
    await expect(main.incident(/Accident rue de Rome/)).toBeVisible();

    // ↗ on the details panel: Electron's main opens a window of our own page showing only that panel.
    const [popupPage] = await Promise.all([app.waitForEvent('window'), main.page.getByRole('button', { name: 'Open the incident details in a new window' }).click()]);
    await popupPage.waitForLoadState();
    expect(app.windows()).toHaveLength(2);
    expect(new URL(popupPage.url()).search).toBe('?panel=details');
    const popupDetails = popupPage.getByRole('region', { name: 'Incident details' });
    await expect(popupDetails).toContainText('Select an incident');
    await expect(popupPage.getByRole('listbox', { name: 'Incident list' })).toHaveCount(0);
    // The pop-out has its own typed client to the data service, and nothing else.
    expect(await popupPage.evaluate(() => Object.keys(window.vigie ?? {}).sort())).toEqual(['call', 'on', 'onConnection']);

    // Selecting in the main window shows the incident in the pop-out; acting there shows in the main window.
    await main.incident(/Accident rue de Rome/).click();
    await expect(popupDetails.getByRole('heading', { name: 'Accident rue de Rome' })).toBeVisible();
    await popupPage.keyboard.press('a');
    await expect(main.incident(/Accident rue de Rome/)).toContainText('Acknowledged');

    // Only our own panels open: another address, or a panel that does not exist, opens nothing.
    // window.open returns only once Electron's main has answered (denied) it, so the count below
    // is final when these resolve: no fixed wait for a window that might still come.
    expect(await main.page.evaluate(() => [window.open('https://example.org'), window.open(`${location.origin}/index.html?panel=settings`)].map((w) => w === null))).toEqual([true, true]);
    expect(await popupPage.evaluate(() => window.open('https://example.org') === null)).toBe(true);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(2);
  } finally {
    await app.close();
    await feed.close();
  }
});
