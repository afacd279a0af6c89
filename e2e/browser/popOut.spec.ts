import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer, type FeedServer } from '../../test/helpers';

let incidents: FeedServer;
let units: FeedServer;
let vigie: RunningVigie;

test.beforeEach(async () => {
  incidents = await startFeedServer(featureCollection([incidentFeature('P-1', { title: 'Accident rue de Rome', category: 'traffic_accident' }, [5.3795, 43.2925])]));
  units = await startFeedServer(`id,callsign,type,lon,lat,t,status\nPM-4,PM 4,vehicle,5.38,43.293,${Date.now()},disponible`);
  vigie = await startVigie({
    config: {
      feeds: [
        { id: 'city', type: 'geojson', label: 'Ville (test)', url: incidents.url, intervalSeconds: 0.25 },
        { id: 'avl', type: 'csv', url: units.url, intervalSeconds: 0.25, options: { kind: 'unit', timeFormat: 'epoch_ms', columns: { unitId: 'id', callsign: 'callsign', unitType: 'type', lon: 'lon', lat: 'lat', t: 't', status: 'status' } } },
      ],
    },
  });
});

test.afterEach(async () => {
  await vigie.stop();
  await incidents.close();
  await units.close();
});

test('the details panel pops out to another window that follows the selection and acts live; the unit board shows assignments', async ({ page, context }, testInfo) => {
  const main = new VigiePage(page);
  await main.open(vigie.url);
  const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Open the incident details in a new window' }).click()]);
  await popup.waitForLoadState();
  const popupDetails = popup.getByRole('region', { name: 'Incident details' });
  await expect(popupDetails).toContainText('Select an incident');
  await expect(popup.getByRole('listbox', { name: 'Incident list' })).toHaveCount(0); // only the panel

  await main.incident(/Accident rue de Rome/).click();
  await expect(popupDetails.getByRole('heading', { name: 'Accident rue de Rome' })).toBeVisible();
  await popup.keyboard.press('a');
  await expect(main.incident(/Accident rue de Rome/)).toContainText('Acknowledged');
  await popup.keyboard.press('d');
  await expect(popupDetails.getByRole('listitem', { name: 'PM 4: Assigned' })).toBeVisible();
  const shot = testInfo.outputPath('pop-out.png');
  await popup.screenshot({ path: shot });
  await testInfo.attach('pop-out', { path: shot, contentType: 'image/png' });

  await page.keyboard.press('b');
  const board = page.getByRole('table', { name: 'Unit board' });
  await expect(board.getByRole('row').filter({ hasText: 'PM 4' })).toContainText('Assigned · Accident rue de Rome');
  const boardShot = testInfo.outputPath('unit-board.png');
  await page.screenshot({ path: boardShot });
  await testInfo.attach('unit board', { path: boardShot, contentType: 'image/png' });
});
