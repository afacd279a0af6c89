import dgram from 'node:dgram';
import fs from 'node:fs';
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

// TAK devices' messages, encoded by protobufjs from TAK's .proto definitions.
const protoText = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../main/core/feeds/fixtures/tak/takproto-v1.proto'), 'utf8');
const TakMessage = protobuf.parse(protoText, { keepCase: true }).root.lookupType('atakmap.commoncommo.protobuf.v1.TakMessage');
function mesh(uid: string, callsign: string, [lon, lat]: [number, number], sentAgoMs: number, staleInMs: number): Buffer {
  const now = Date.now();
  const payload = TakMessage.encode(TakMessage.fromObject({
    cotEvent: {
      type: 'a-f-G-U-C', uid, how: 'm-g', sendTime: now - sentAgoMs, startTime: now - sentAgoMs, staleTime: now + staleInMs, lat, lon, hae: 0, ce: 5, le: 5,
      detail: { contact: { callsign }, group: { name: 'Cyan', role: 'Team Lead' }, status: { battery: 76 }, takv: { platform: 'ATAK-CIV', version: '5.1.0.4' }, track: { speed: 1.2, course: 90 } },
    },
  })).finish();
  return Buffer.concat([Buffer.from([0xbf, 0x01, 0xbf]), payload]);
}

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function pickAt(page: Page, [lon, lat]: [number, number]) {
  return page.evaluate(([x, y]) => {
    const p = window.vigieMap!.project(x!, y!);
    return window.vigieMap!.pick(p.x, p.y, ['units'])?.id ?? null;
  }, [lon, lat]);
}

const LEAD: [number, number] = [5.3698, 43.2965];
const LEAVING: [number, number] = [5.3745, 43.2945];

// Software WebGL on a shared machine: the first map load alone can take most of a minute.
test.setTimeout(180_000);

let vigie: RunningVigie;
let port: number;
test.beforeEach(async () => {
  port = await freeUdpPort();
  vigie = await startVigie({ config: { demo: false, feeds: [{ id: 'atak', type: 'cot', label: 'ATAK (test)', transport: 'udp', listen: { host: '127.0.0.1', port } }] } });
});
test.afterEach(async () => {
  await vigie?.stop();
});

test('TAK protobuf positions show with team, battery and app; a unit past its stale time leaves the map', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 16), LEAD);
  const client = dgram.createSocket('udp4');
  try {
    // One position valid ten minutes; one sent 110 s ago and stale in 6 s (each send here renews it): it fades, then goes.
    await expect
      .poll(async () => {
        client.send(mesh('ANDROID-LEAD', 'CYAN LEAD', LEAD, 1000, 600_000), port, '127.0.0.1');
        client.send(mesh('ANDROID-LEAVING', 'CYAN 2', LEAVING, 110_000, 6_000), port, '127.0.0.1');
        return (await pickAt(page, LEAD)) === 'atak:ANDROID-LEAD' && (await pickAt(page, LEAVING)) === 'atak:ANDROID-LEAVING';
      }, { timeout: 20_000 })
      .toBe(true);
  } finally {
    client.close();
  }
  const details = page.getByRole('region', { name: 'Unit details' });
  // A click lands on whatever deck.gl last drew; under load (software WebGL) the frame with the
  // unit may come after the first click, so click again until the details open.
  await expect(async () => {
    const p = await page.evaluate(([lon, lat]) => window.vigieMap!.project(lon!, lat!), LEAD);
    await page.mouse.click(p.x, p.y);
    await expect(details.getByRole('heading', { name: 'CYAN LEAD' })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  for (const text of ['Cyan · Team Lead', '76 %', 'ATAK-CIV 5.1.0.4', 'Valid until', 'ATAK (test)']) await expect(details).toContainText(text);
  await shot(page, testInfo, 'tak-unit-details');

  // Past its stale time the second unit is no longer drawn; the first one still is.
  await expect.poll(() => pickAt(page, LEAVING), { timeout: 30_000 }).toBeNull();
  expect(await pickAt(page, LEAD)).toBe('atak:ANDROID-LEAD');
  await shot(page, testInfo, 'tak-stale-unit-gone');
});
