import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from '@playwright/test';
import WebSocket from 'ws';
import { startVigie, vigieCli, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer, type FeedServer } from '../../test/helpers';

const BELSUNCE: [number, number] = [5.3765, 43.2995];
const run = promisify(execFile);

let incidents: FeedServer;
let units: FeedServer;
let vigie: RunningVigie;

/** The units' own AVL feed, as a CAD exports it: one CSV row per unit with its status word. */
function unitsCsv(rows: [string, number, number, string][]): string {
  const t = Date.now();
  return ['id,callsign,type,lon,lat,t,status', ...rows.map(([id, lon, lat, status]) => `${id},${id.replace('-', ' ')},vehicle,${lon},${lat},${t},${status}`)].join('\n');
}
const PM1: [number, number] = [5.377, 43.2999]; // ≈ 60 m
const PM2: [number, number] = [5.385, 43.305]; // ≈ 900 m
const PM3: [number, number] = [5.41, 43.32]; // ≈ 3.5 km

async function start(args: string[] = []) {
  incidents = await startFeedServer(featureCollection([incidentFeature('R-1', { title: 'Rixe cours Belsunce', priority: 1, address: 'Cours Belsunce' }, BELSUNCE)]));
  units = await startFeedServer(unitsCsv([['PM-1', ...PM1, 'disponible'], ['PM-2', ...PM2, 'disponible'], ['PM-3', ...PM3, 'disponible']]));
  vigie = await startVigie({
    args,
    config: {
      feeds: [
        { id: 'city', type: 'geojson', label: 'Ville (test)', url: incidents.url, intervalSeconds: 0.25, timeoutSeconds: 2 },
        {
          id: 'avl',
          type: 'csv',
          label: 'AVL (test)',
          url: units.url,
          intervalSeconds: 0.25,
          timeoutSeconds: 2,
          options: { kind: 'unit', timeFormat: 'epoch_ms', columns: { unitId: 'id', callsign: 'callsign', unitType: 'type', lon: 'lon', lat: 'lat', t: 't', status: 'status' } },
        },
      ],
    },
  });
}

test.afterEach(async () => {
  await vigie.stop();
  await incidents.close();
  await units.close();
});

test('a supervisor acknowledges, overrides the recommendation with a reason, dispatches the recommended unit, follows the units through their feed, closes; the journal verifies', async ({ page }, testInfo) => {
  await start();
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await vigiePage.incident(/Rixe cours Belsunce/).click();
  const details = vigiePage.details;
  await expect(details.getByRole('heading', { name: 'Rixe cours Belsunce' })).toBeVisible();

  await page.keyboard.press('a');
  await expect(details.locator('.status-chip').first()).toHaveText('Acknowledged');

  const ranking = details.getByRole('list', { name: 'Recommended units' });
  await expect(ranking.getByRole('listitem')).toHaveCount(3);
  await expect(ranking.getByRole('listitem').nth(0)).toHaveAccessibleName('1. PM 1');
  await expect(ranking.getByRole('listitem').nth(0)).toContainText(/\d+ m · ETA 1:\d\d · suited · available/);
  await expect(ranking.getByRole('listitem').nth(1)).toHaveAccessibleName('2. PM 2');
  const screenRanking = testInfo.outputPath('ranking.png');
  await page.screenshot({ path: screenRanking });
  await testInfo.attach('ranking', { path: screenRanking, contentType: 'image/png' });

  // Override: the second unit, which asks why.
  await ranking.getByRole('button', { name: 'Assign PM 2' }).click();
  const why = page.getByRole('dialog', { name: 'Assign PM 2 instead of PM 1: why?' });
  await expect(why).toBeVisible();
  await why.getByRole('button', { name: 'Assign' }).click();
  await expect(why.getByRole('alert')).toHaveText(/Say why/);
  await why.getByRole('textbox', { name: 'Reason *' }).fill('PM 1 is guarding a witness');
  await why.getByRole('button', { name: 'Assign' }).click();
  await expect(why).toBeHidden();
  const onIncident = details.getByRole('list', { name: 'Units on this incident' });
  await expect(onIncident.getByRole('listitem', { name: 'PM 2: Assigned' })).toBeVisible();
  await expect(onIncident).toContainText('PM 1 is guarding a witness');
  await expect(details.locator('.status-chip').first()).toHaveText('Dispatched');
  await expect(details.getByLabel('Time to dispatch')).toHaveText(/^\d+:\d\d/);

  // And the recommended one, by its shortcut.
  await page.keyboard.press('d');
  await expect(onIncident.getByRole('listitem', { name: 'PM 1: Assigned' })).toBeVisible();

  // The units report through their own feed.
  units.setBody(unitsCsv([['PM-1', ...PM1, 'sur place'], ['PM-2', ...PM2, 'acquitté'], ['PM-3', ...PM3, 'disponible']]));
  await expect(onIncident.getByRole('listitem', { name: 'PM 2: Acknowledged' })).toBeVisible();
  await expect(onIncident.getByRole('listitem', { name: 'PM 1: On scene' })).toBeVisible();
  await expect(details.locator('.status-chip').first()).toHaveText('On scene');
  await expect(details.getByLabel('Time on scene')).toHaveText(/^\d+:\d\d/);
  const screenOnScene = testInfo.outputPath('on-scene.png');
  await page.screenshot({ path: screenOnScene });
  await testInfo.attach('on scene', { path: screenOnScene, contentType: 'image/png' });

  await page.keyboard.press('c');
  const close = page.getByRole('dialog', { name: 'Close “Rixe cours Belsunce”' });
  await close.getByRole('textbox').fill('Calm restored, no injuries');
  await close.getByRole('button', { name: 'Close' }).click();
  await expect(details.locator('.status-chip').first()).toHaveText('Closed');
  await expect(onIncident.getByRole('listitem', { name: 'PM 1: Cleared' })).toBeVisible();
  // The feed still lists it as new: the supervisor's close stands, and the panel says the feed differs.
  await expect(details.getByRole('note')).toContainText('Ville (test) now says: New');

  await page.keyboard.press('g');
  const journal = page.getByRole('dialog', { name: 'Audit journal' });
  await expect(journal.getByRole('status')).toHaveText(/Hash chain verified: \d+ rows intact/);
  for (const action of ['incident.acknowledge', 'incident.dispatch', 'incident.unit.acknowledged', 'incident.unit.on_scene', 'incident.close', 'incident.open']) {
    await expect(journal.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
  }
  await expect(journal.getByRole('row').filter({ hasText: 'PM 1 is guarding a witness' })).toContainText('incident.dispatch');
  const screenJournal = testInfo.outputPath('journal.png');
  await page.screenshot({ path: screenJournal });
  await testInfo.attach('journal', { path: screenJournal, contentType: 'image/png' });

  await page.keyboard.press('Escape');
  await page.keyboard.press('l');
  await expect(details.getByRole('button', { name: 'Rouvrir' })).toBeVisible();
  await expect(details.getByRole('list', { name: 'Unités engagées' }).getByRole('listitem', { name: 'PM 2: Libérée' })).toBeVisible();
  const screenFrench = testInfo.outputPath('closed-fr.png');
  await page.screenshot({ path: screenFrench });
  await testInfo.attach('closed, in French', { path: screenFrench, contentType: 'image/png' });

  await vigie.stop();
  const verify = await run(process.execPath, [vigieCli, 'audit', 'verify', '--profile', vigie.profileDir], { encoding: 'utf8' });
  expect(verify.stdout).toMatch(/Audit journal intact: \d+ rows/);
});

test('an operator sees no dispatch or close button, and the service refuses the call itself', async ({ page }) => {
  await start([]);
  await vigie.stop();
  fs.writeFileSync(path.join(vigie.profileDir, 'policy.json'), JSON.stringify({ version: 1, users: { amartin: 'operator' }, allowUserFlag: true }));
  vigie = await startVigie({ profileDir: vigie.profileDir, args: ['--user', 'amartin'] });
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await expect(page.getByText('amartin · operator')).toBeVisible();
  await vigiePage.incident(/Rixe cours Belsunce/).click();
  await expect(vigiePage.details.getByRole('button', { name: /Acknowledge/ })).toBeVisible();
  await expect(vigiePage.details.getByRole('list', { name: 'Recommended units' })).toBeVisible();
  await expect(vigiePage.details.getByRole('button', { name: /^Assign/ })).toHaveCount(0);
  await expect(vigiePage.details.getByRole('button', { name: 'Close', exact: true })).toHaveCount(0);

  // Not only hidden: a hand-made request with the operator's token is refused by the service.
  const url = new URL(vigie.url);
  const ws = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { origin: url.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const reply = new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve) =>
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.t === 'res') resolve(message);
    }),
  );
  ws.send(JSON.stringify({ t: 'req', id: 1, method: 'dispatch.assign', params: { incidentId: 'city:R-1', unitId: 'avl:PM-1' } }));
  expect(await reply).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not allowed for the role "operator"') } });
  ws.close();
});
