import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { startFeedServer, type FeedServer } from '../../test/helpers';

let units: FeedServer;
let vigie: RunningVigie;

const unitsCsv = (lon: number, lat: number) => `id,callsign,type,lon,lat,t,status\nPM-7,PM 7,vehicle,${lon},${lat},${Date.now()},disponible`;
// A square of about 500 m around the Vieux-Port, drawn corner by corner.
const CORNERS: [number, number][] = [[5.368, 43.292], [5.376, 43.292], [5.376, 43.297], [5.368, 43.297]];

test.beforeEach(async () => {
  units = await startFeedServer(unitsCsv(5.36, 43.294));
  vigie = await startVigie({
    config: {
      feeds: [
        {
          id: 'avl',
          type: 'csv',
          label: 'AVL (test)',
          url: units.url,
          intervalSeconds: 0.25,
          options: { kind: 'unit', timeFormat: 'epoch_ms', columns: { unitId: 'id', callsign: 'callsign', unitType: 'type', lon: 'lon', lat: 'lat', t: 't', status: 'status' } },
        },
      ],
    },
  });
});

test.afterEach(async () => {
  await vigie.stop();
  await units.close();
});

test('a geofence drawn on the map persists across a reload, shows live in a second window, and fires when a unit crosses it', async ({ page, context }, testInfo) => {
  // Two windows, a reload and four live round trips: about 50 s on a loaded two-core machine.
  test.setTimeout(120_000);
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  const second = new VigiePage(await context.newPage());
  await second.open(vigie.url);
  // Every feed up (one summary in the top bar).
  await expect(page.getByRole('button', { name: /^Feed health/ })).toHaveText(/^(\d+)\/\1 feeds up$/);

  await page.keyboard.press('e');
  const form = page.getByRole('form', { name: 'Drawing a Polygon' });
  await expect(form).toBeVisible();
  for (const [lon, lat] of CORNERS) await vigiePage.clickMapAt(lon, lat);
  await expect(form.getByRole('status')).toContainText('(4)');
  await form.getByRole('textbox', { name: 'Label' }).fill('Périmètre Vieux-Port');
  await form.getByRole('combobox', { name: 'Colour' }).selectOption({ label: 'Orange' });
  await form.getByRole('checkbox', { name: 'Geofence' }).check();
  await form.getByRole('button', { name: 'Save annotation' }).click();
  await expect(form).toBeHidden();

  const listed = (p: VigiePage) => p.page.getByRole('button', { name: 'Annotations (1)' });
  await expect(listed(vigiePage)).toBeVisible();
  await expect(listed(second)).toBeVisible(); // the other window, live

  // A unit drives into the fence, then out of it.
  units.setBody(unitsCsv(5.372, 43.294));
  await expect(page.getByRole('log', { name: 'Geofence alerts' })).toContainText('PM 7 entered Périmètre Vieux-Port');
  await expect(second.page.getByRole('log', { name: 'Geofence alerts' })).toContainText('PM 7 entered Périmètre Vieux-Port');
  const shot = testInfo.outputPath('geofence.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('geofence', { path: shot, contentType: 'image/png' });
  units.setBody(unitsCsv(5.39, 43.294));
  await expect(page.getByRole('log', { name: 'Geofence alerts' })).toContainText('PM 7 left Périmètre Vieux-Port');

  await page.reload();
  await vigiePage.waitForMap();
  await listed(vigiePage).click();
  await expect(page.getByRole('list', { name: 'Annotations on the map' })).toContainText('Périmètre Vieux-Port · Polygon · Geofence');

  // Renamed: the other window follows.
  await page.getByRole('button', { name: 'Rename Périmètre Vieux-Port' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename Périmètre Vieux-Port' });
  await rename.getByRole('textbox').fill('Zone de fan-zone');
  await rename.getByRole('button', { name: 'Save annotation' }).click();
  await listed(second).click();
  await expect(second.page.getByRole('list', { name: 'Annotations on the map' })).toContainText('Zone de fan-zone');

  // Deleted: gone from both windows (kept in the log).
  await page.getByRole('button', { name: 'Delete Zone de fan-zone' }).click();
  await expect(listed(second)).toBeHidden();
});
