import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

let vigie: RunningVigie | undefined;
test.afterEach(async () => {
  await vigie?.stop();
});

const STEADY: [number, number] = [5.3747, 43.2951];
const BURSTY: [number, number] = [5.3900, 43.2951];
const DAY = 864e5;

test('a high but uncertain forecast cell looks different from a high and certain one', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const { startFeedServer, featureCollection, incidentFeature } = await import('../../test/helpers');
  const { seededRandom } = await import('../../common/random');
  const random = seededRandom(5);
  const now = Date.now();
  const near = ([lon, lat]: [number, number]): [number, number] => [lon + (random() - 0.5) * 0.0004, lat + (random() - 0.5) * 0.0004];
  // Six weeks: the steady spot has about 10 incidents every day; the bursty spot as many in all, but
  // in three bursts of a day each. A scatter over the centre gives the city-wide fit its background.
  const features = [
    ...Array.from({ length: 420 }, (_, i) => incidentFeature(`S${i}`, { occurredAt: new Date(now - random() * 42 * DAY).toISOString(), status: 'closed', category: 'theft' }, near(STEADY))),
    ...Array.from({ length: 420 }, (_, i) => incidentFeature(`B${i}`, { occurredAt: new Date(now - ([6, 20, 34][i % 3]! + random()) * DAY).toISOString(), status: 'closed', category: 'theft' }, near(BURSTY))),
    ...Array.from({ length: 500 }, (_, i) => incidentFeature(`C${i}`, { occurredAt: new Date(now - random() * 42 * DAY).toISOString(), status: 'closed', category: 'theft' }, [5.35 + random() * 0.07, 43.27 + random() * 0.06])),
  ];
  const feed = await startFeedServer(featureCollection(features));
  try {
    vigie = await startVigie({ config: { feeds: [{ id: 'city', type: 'geojson', label: 'Ville (test)', url: feed.url, intervalSeconds: 1 }] } });
    const vigiePage = new VigiePage(page);
    await vigiePage.open(vigie.url);
    await page.getByRole('region', { name: 'Layers' }).getByRole('checkbox', { name: /^Incidents/ }).uncheck();
    await page.getByRole('region', { name: 'Layers' }).getByRole('checkbox', { name: 'Forecasts (areas)' }).check();
    await expect(page.getByText(/auto model, from \d+ incidents, 250 m cells/)).toBeVisible({ timeout: 30_000 });

    // "Why is this cell high?" (Z, the cell under the centre of the map) for each spot: about as
    // many incidents expected, but the bursty cell’s 90 % interval is wider.
    const why = page.getByRole('dialog', { name: 'Why is this cell high?' });
    const cellAt = async ([lon, lat]: [number, number]) => {
      await page.evaluate(([x, y]) => window.vigieMap!.flyTo(x!, y!, 15), [lon, lat]);
      await vigiePage.waitForMapIdle();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('z');
      await expect(why).toBeVisible();
      const text = await why.locator('.why-summary').innerText();
      await why.press('Escape');
      const m = /^([\d.,]+) incidents expected in 24 h \(90 %: (\d+)–(\d+)\)/.exec(text);
      expect(m, text).not.toBeNull();
      return { expected: Number(m![1]!.replace(',', '.')), low: Number(m![2]), high: Number(m![3]) };
    };
    const steady = await cellAt(STEADY), bursty = await cellAt(BURSTY);
    expect(bursty.expected / steady.expected).toBeGreaterThan(0.5);
    expect(bursty.expected / steady.expected).toBeLessThan(2);
    expect(bursty.high - bursty.low).toBeGreaterThan(steady.high - steady.low);
    expect(bursty.high).toBeGreaterThan(steady.high);

    // The layers panel folded away, both spots in view.
    await page.getByRole('region', { name: 'Layers' }).getByRole('button', { name: 'Collapse the layer panel' }).click();
    await page.evaluate(() => window.vigieMap!.flyTo(5.3823, 43.2951, 14));
    await vigiePage.waitForMapIdle();
    // On screen: the steady cell is a solid square, the bursty one a bright outline around a pale
    // fill. Read the screenshot's pixels at both centres (decoded by the page's own canvas).
    const png = (await page.screenshot()).toString('base64');
    const centres = await page.evaluate(([s, b]) => [window.vigieMap!.project(s![0]!, s![1]!), window.vigieMap!.project(b![0]!, b![1]!)], [STEADY, BURSTY]);
    const [steadyPx, burstyPx] = await page.evaluate(async ([data, points]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width; canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      // How pink (red over green) a 5 x 5 block around each spot is on average: the fill, not the outline.
      return (points as { x: number; y: number }[]).map((p) => {
        const d = ctx.getImageData(Math.round(p.x) - 2, Math.round(p.y) - 2, 5, 5).data;
        let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += d[i]! - d[i + 1]!;
        return sum / (d.length / 4);
      });
    }, [png, centres] as const);
    // Strong on the solid cell, faint on the pale one.
    expect(steadyPx!).toBeGreaterThan(burstyPx! + 30);
    const file = testInfo.outputPath('forecast-uncertainty.png');
    // With the legend: colour for how many, outline and pale fill for less certain.
    await page.getByRole('button', { name: 'Expand the layer panel' }).click();
    await page.evaluate(() => window.vigieMap!.flyTo(5.379, 43.2951, 14));
    await vigiePage.waitForMapIdle();
    await page.screenshot({ path: file });
    await testInfo.attach('forecast-uncertainty', { path: file, contentType: 'image/png' });
  } finally {
    await feed.close();
  }
});
