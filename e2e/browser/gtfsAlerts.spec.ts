import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

const here = path.dirname(fileURLToPath(import.meta.url));
const STOPS = path.join(here, '../../../shared/data/marseille/rtm_metro_gtfs/stops.txt');
// La Rose, as the RTM GTFS places it: the built-in Marseille pack knows this stop when ../shared/data is there.
const LA_ROSE: [number, number] = [5.4296345, 43.333138];

/** A GTFS-rt feed with one service alert, encoded by protobufjs from the official gtfs-realtime.proto. */
function feed(): Uint8Array {
  const root = protobuf.parse(fs.readFileSync(path.join(here, '../../main/core/feeds/fixtures/gtfs-realtime.proto'), 'utf8')).root;
  const FeedMessage = root.lookupType('transit_realtime.FeedMessage');
  const now = Math.floor(Date.now() / 1000);
  return FeedMessage.encode(FeedMessage.fromObject({
    header: { gtfsRealtimeVersion: '2.0', timestamp: now },
    entity: [{
      id: 'rtm-alert-1',
      alert: {
        activePeriod: [{ start: now - 600, end: now + 7200 }],
        informedEntity: [{ routeId: 'RTM-116' }, { stopId: 'RTM-00002275' }, { stopId: 'RTM-99999999' }],
        cause: 'DEMONSTRATION', effect: 'NO_SERVICE', severityLevel: 'SEVERE',
        headerText: { translation: [{ text: 'M1 stopped at La Rose', language: 'en' }, { text: 'M1 interrompu à La Rose', language: 'fr' }] },
        descriptionText: { translation: [{ text: 'Demonstration outside the station.', language: 'en' }, { text: 'Manifestation devant la station.', language: 'fr' }] },
      },
    }],
  })).finish();
}

// Software WebGL on a shared machine: the first map load alone can take most of a minute.
test.setTimeout(180_000);

let vigie: RunningVigie;
let server: http.Server;
test.beforeEach(async () => {
  const body = feed();
  server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/alerts.pb`;
  vigie = await startVigie({ config: { demo: false, feeds: [{ id: 'rtm', type: 'gtfs-rt', label: 'RTM (test)', url, intervalSeconds: 2 }] } });
});
test.afterEach(async () => {
  await vigie?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a GTFS-rt service alert is drawn at the stop the city pack knows, and read in the UI’s language', async ({ page }, testInfo) => {
  test.skip(!fs.existsSync(STOPS), '../shared/data is absent: the built-in pack places no stop');
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.getByRole('button', { name: 'Passer en français' }).click();
  await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 17), LA_ROSE);
  const pick = () => page.evaluate(([x, y]) => {
    const p = window.vigieMap!.project(x!, y!);
    return window.vigieMap!.pick(p.x, p.y, ['alerts'])?.id ?? null;
  }, LA_ROSE);
  await expect.poll(pick, { timeout: 20_000 }).toMatch(/^rtm:gtfs-rt:rtm-alert-1/);
  const p = await page.evaluate(([x, y]) => window.vigieMap!.project(x!, y!), LA_ROSE);
  await page.mouse.click(p.x, p.y);
  const details = page.getByRole('region', { name: 'Détails de l’alerte' });
  await expect(details.getByRole('heading', { name: 'M1 interrompu à La Rose' })).toBeVisible();
  for (const text of ['manifestation', 'service interrompu', 'RTM-116', 'RTM-00002275', '1 hors carte', 'Manifestation devant la station.']) await expect(details).toContainText(text);
  await expect(details).not.toContainText('Demonstration outside');
  await expect(details).not.toContainText('routes RTM-116');
  await shot(page, testInfo, 'gtfs-alert-fr');
});
