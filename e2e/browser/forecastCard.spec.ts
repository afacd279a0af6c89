import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

let vigie: RunningVigie | undefined;
test.afterEach(async () => {
  await vigie?.stop();
});

const VIEUX_PORT: [number, number] = [5.3747, 43.2951];
const DAY = 864e5;

test('the forecast model card shows its evidence per district, and a cell explains why it is high', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const { startFeedServer, featureCollection, incidentFeature } = await import('../../test/helpers');
  const { seededRandom } = await import('../../common/random');
  const random = seededRandom(21);
  const now = Date.now();
  // Six weeks of history: a steady hotspot on the Vieux-Port, a scatter over the centre of Marseille.
  const features = [
    ...Array.from({ length: 240 }, (_, i) => incidentFeature(`H${i}`, { occurredAt: new Date(now - random() * 42 * DAY).toISOString(), status: 'closed', category: i % 3 ? 'theft' : 'assault' }, [VIEUX_PORT[0] + (random() - 0.5) * 0.001, VIEUX_PORT[1] + (random() - 0.5) * 0.001])),
    ...Array.from({ length: 400 }, (_, i) => incidentFeature(`S${i}`, { occurredAt: new Date(now - random() * 42 * DAY).toISOString(), status: 'closed', category: 'theft' }, [5.36 + random() * 0.06, 43.27 + random() * 0.06])),
  ];
  const feed = await startFeedServer(featureCollection(features));
  try {
    vigie = await startVigie({ config: { feeds: [{ id: 'city', type: 'geojson', label: 'Ville (test)', url: feed.url, intervalSeconds: 1 }] } });
    const vigiePage = new VigiePage(page);
    await vigiePage.open(vigie.url);
    await page.getByRole('region', { name: 'Layers' }).getByRole('checkbox', { name: 'Forecasts (areas)' }).check();
    await expect(page.getByText(/auto model, from 640 incidents, 250 m cells/)).toBeVisible({ timeout: 20_000 });
    const tools = page.getByRole('group', { name: 'Forecast', exact: true });
    await expect(tools).toBeVisible();

    // Shift+M: the model card. Opening it starts the first check; its table appears when it ends.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Shift+M');
    const card = page.getByRole('dialog', { name: 'Model card — area forecast' });
    await expect(card).toBeVisible();
    await expect(card).toContainText('auto');
    await expect(card).toContainText('never a person');
    // Which method the inner backtest chose, against which count and by how much.
    await expect(card).toContainText('Method chosen by the inner backtest');
    await expect(card).toContainText('Gain of the chosen method over the best count (%)');
    await expect(card.getByText(/Run .* windows of 24 h/)).toBeVisible({ timeout: 60_000 });
    // The intervals' calibration over the check windows.
    await expect(card.getByTestId('coverage')).toContainText(/fell inside their 80 % interval/);
    await expect(card.getByTestId('ratio-1')).toHaveText(/^\d+[.,]\d+$/);
    await expect(card.getByRole('table').nth(1)).toContainText('District');
    await shot(page, testInfo, 'model-card');
    // Shift+Y in the card reruns the check (a supervisor may).
    await card.press('Shift+Y');
    await expect(card.getByText(/Run .* windows of 24 h/)).toBeVisible({ timeout: 60_000 });
    await card.press('Escape');
    await expect(card).toBeHidden();

    // Z: why is the cell at the centre of the map high?
    await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 14), VIEUX_PORT);
    await page.keyboard.press('z');
    const why = page.getByRole('dialog', { name: 'Why is this cell high?' });
    await expect(why).toBeVisible();
    await expect(why).toContainText(/incidents expected in 24 h \(90 %: \d+–\d+\), rank 1/);
    await expect(why).toContainText(/Theft/);
    await expect(why).toContainText('in this cell');
    await expect(why).toContainText('count-all');
    // The parts add up to the expected value shown at the top (both computed by the service).
    const summary = await why.locator('.why-summary').innerText();
    const expected = summary.match(/^([\d.,]+) incidents expected/)![1]!;
    const total = await why.getByTestId('why-total').innerText();
    expect(Number(total.replace(',', '.'))).toBeCloseTo(Number(expected.replace(',', '.')), 1);
    await shot(page, testInfo, 'why-cell-high');
    // → steps to the next cell by rank.
    await why.press('ArrowRight');
    await expect(why).toContainText(/rank 2/);
    await why.press('Escape');
    await expect(why).toBeHidden();

    // A click on a forecast cell opens the same explanation.
    await page.evaluate(([lon, lat]) => window.vigieMap!.flyTo(lon!, lat!, 14), VIEUX_PORT);
    const hotspot = await page.evaluate(([x, y]) => window.vigieMap!.project(x!, y!), VIEUX_PORT);
    await page.getByRole('region', { name: 'Layers' }).getByRole('checkbox', { name: /^Incidents/ }).uncheck();
    await page.mouse.click(hotspot.x, hotspot.y);
    await expect(why).toBeVisible();
    await expect(why).toContainText(/rank 1/);
    await why.press('Escape');

    // In French.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('l');
    await page.keyboard.press('Shift+M');
    const carte = page.getByRole('dialog', { name: 'Fiche du modèle — prévision par zone' });
    await expect(carte).toContainText('jamais une personne');
    await expect(carte).toContainText('Par quartier, à 5 % de la surface');
    await shot(page, testInfo, 'model-card-fr');
  } finally {
    await feed.close();
  }
});
