import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../test/helpers';
import { buildCityPack } from '../../main/core/city/packBuild';

/**
 * A scripted busy hour (issue 16): 60+ alarms of four kinds (incidents P1/P2, an indicator, a CAP
 * alert, a failing feed) over 10 minutes of incident time, fed by real loopback feeds to a real
 * `vigie serve`. `vigie serve` has no test clock: the records carry their own times over the 10
 * minutes, and the escalation delays are set to seconds in config.json so that escalation shows
 * within the test. The tones are counted by wrapping WebAudio's OscillatorNode in the page.
 */
test.setTimeout(120_000);

const square = (name: string, [w, s, e, n]: number[]) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } });
const VIEUX_PORT: [number, number] = [5.372, 43.295];
const NOAILLES: [number, number] = [5.384, 43.296];
const OUTSIDE: [number, number] = [5.41, 43.32];

function capAlert(now: number, severity: string): string {
  const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>E2E-GAS-1</identifier><sender>prefecture@example.org</sender><sent>${iso(now)}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Safety</category><event>Fuite de gaz</event><urgency>Immediate</urgency><severity>${severity}</severity>
    <certainty>Observed</certainty><expires>${iso(now + 3_600_000)}</expires><headline>Fuite de gaz quai du Port</headline>
    <area><areaDesc>Quai du Port</areaDesc><polygon>43.294,5.370 43.296,5.370 43.296,5.374 43.294,5.374 43.294,5.370</polygon></area>
  </info>
</alert>`;
}

let feed: FeedServer;
let cap: FeedServer;
let vigie: RunningVigie;

test.beforeAll(async () => {
  const profileDir = tempDir('vigie-e2e-');
  const districts = path.join(tempDir(), 'districts.geojson');
  fs.writeFileSync(districts, JSON.stringify({ type: 'FeatureCollection', features: [square('Vieux-Port', [5.366, 43.29, 5.38, 43.3]), square('Noailles', [5.38, 43.29, 5.39, 43.3])] }));
  buildCityPack({ out: path.join(profileDir, 'pack'), id: 'test', name: 'Marseille (test)', districts, attribution: [] });
  feed = await startFeedServer();
  cap = await startFeedServer('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>');
  vigie = await startVigie({
    profileDir,
    config: {
      cityPack: 'pack',
      feeds: [
        { id: 'city', type: 'geojson', label: 'Police municipale', url: feed.url, intervalSeconds: 0.25 },
        { id: 'prefecture', type: 'cap', label: 'Préfecture', url: cap.url, intervalSeconds: 0.5 },
        { id: 'down', type: 'geojson', label: 'Marins-pompiers', url: 'http://127.0.0.1:9/incidents.geojson', intervalSeconds: 30 },
      ],
      indicators: [{ id: 'rixes', label: 'Rixes', category: 'public_order', window: 'hour', threshold: { kind: 'absolute', count: 3 }, sheet: '# Rixes au Vieux-Port\n\n1. Call the **duty officer**' }],
      alarms: { escalation: { incident: { louderAfterS: 3, supervisorAfterS: 6 } } },
    },
  });
});

test.afterAll(async () => {
  await vigie?.stop();
  await feed?.close();
  await cap?.close();
});

/** Counts each tone the page starts (frequency and wave) and keeps its audio contexts, without changing what it plays. */
async function recordTones(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { tones: { hz: number; wave: string }[]; audioContexts: AudioContext[] };
    w.tones = [];
    w.audioContexts = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
      w.tones.push({ hz: this.frequency.value, wave: this.type });
      if (!w.audioContexts.includes(this.context as AudioContext)) w.audioContexts.push(this.context as AudioContext);
      return start.apply(this, args);
    };
  });
}
const tones = (page: Page) => page.evaluate(() => (window as unknown as { tones: { hz: number; wave: string }[] }).tones);
/** The states of the audio contexts that played a tone ('running' keeps an audio thread busy). */
const audioStates = (page: Page) => page.evaluate(() => (window as unknown as { audioContexts: AudioContext[] }).audioContexts.map((c) => c.state));

test('a busy hour: one queue, grouped bursts, priority order, escalation, the P1 tone, no modal, and the focus left where the supervisor types', async ({ page }, testInfo) => {
  await recordTones(page);
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  const queue = page.getByRole('listbox', { name: 'Alarm queue' });
  const rows = queue.getByRole('option');

  // The failing fire brigade feed is an alarm already, and the top bar says so in one line.
  await expect(rows.filter({ hasText: 'Feed failing' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: /^Feed health/ })).toContainText('feeds up · 1 failing');

  // The supervisor is typing in the incident search when the first P1 arrives.
  const search = page.getByRole('searchbox', { name: 'Search incidents' });
  await search.click();
  await search.pressSequentially('Sta');
  const base = Date.now() - 10 * 60_000;
  const at = (minute: number) => new Date(base + minute * 60_000).toISOString();
  const features = [incidentFeature('P1-0', { priority: 1, title: 'Stabbing rue d’Aubagne', occurredAt: at(0) }, NOAILLES)];
  feed.setBody(featureCollection(features));
  await expect(rows.first()).toContainText('Stabbing rue d’Aubagne');
  // Its tone: the incident tone of a P1 (880 Hz × 1.25, square wave), three beeps (more once it escalates, 3 s later).
  await expect.poll(async () => (await tones(page)).filter((t) => t.hz === 1100 && t.wave === 'square').length).toBeGreaterThanOrEqual(3);
  // Nothing else rang: the failing feed's alarm came before the page (loaded, not announced), the P1 is the only new one.
  expect(new Set((await tones(page)).map((t) => `${t.hz} ${t.wave}`))).toEqual(new Set(['1100 square']));
  await expect(page.getByTestId('alarm-announcer')).toHaveText('New alarm: P1 · Stabbing rue d’Aubagne');
  await expect(search).toBeFocused();
  // Once the beeps have played, the desk's sound stops running (no audio thread kept busy between alarms).
  await expect.poll(() => audioStates(page)).toEqual(['suspended']);

  // The burst: 40 fights at the Vieux-Port, 12 more P1s in Noailles, 8 P2s outside any district,
  // 15 P3s (not alarms), a gas leak (CAP Extreme), over the 10 minutes.
  for (let i = 0; i < 40; i++) features.push(incidentFeature(`VP-${i}`, { priority: 2, title: `Fight on the quay ${i}`, occurredAt: at(1 + i * 0.2) }, [VIEUX_PORT[0] + i * 0.0001, VIEUX_PORT[1]]));
  for (let i = 0; i < 12; i++) features.push(incidentFeature(`NO-${i}`, { priority: 1, category: 'fire', title: `Fire in a flat ${i}`, occurredAt: at(2 + i * 0.5) }, [NOAILLES[0], NOAILLES[1] + i * 0.0001]));
  for (let i = 0; i < 8; i++) features.push(incidentFeature(`OUT-${i}`, { priority: 2, category: 'traffic_accident', title: `Crash ${i}`, occurredAt: at(3 + i) }, [OUTSIDE[0] + i * 0.001, OUTSIDE[1]]));
  for (let i = 0; i < 15; i++) features.push(incidentFeature(`P3-${i}`, { priority: 3, category: 'noise', title: `Noise ${i}`, occurredAt: at(i * 0.6) }, VIEUX_PORT));
  feed.setBody(featureCollection(features));
  cap.setBody(capAlert(Date.now(), 'Extreme'));
  // Still typing: nothing took the focus or the letters.
  await search.pressSequentially('bbing');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('Stabbing');

  // Grouping: each burst is one row with its count; the queue holds five rows for 63 alarms.
  const fights = rows.filter({ hasText: 'Incident · Vieux-Port: 40 in a burst' });
  await expect(fights).toHaveAttribute('data-count', '40');
  await expect(rows.filter({ hasText: 'Incident · Noailles: 13 in a burst' })).toHaveAttribute('data-count', '13');
  await expect(rows.filter({ hasText: 'Incident: 8 in a burst' })).toHaveAttribute('data-count', '8');
  await expect(rows.filter({ hasText: 'Rixes · Vieux-Port' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Fuite de gaz quai du Port' })).toHaveCount(1);
  const counts = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60);
  // No modal stack: the reflex sheet of the indicator did not open as a dialog.
  await expect(page.locator('dialog[open]')).toHaveCount(0);

  // Order: priority, then age (oldest first), unacknowledged first.
  const priorities = await rows.evaluateAll((els) => els.map((e) => e.querySelector('.prio')!.textContent));
  expect(priorities).toEqual([...priorities].sort());
  expect(priorities.slice(0, 2)).toEqual(['P1', 'P1']);
  await expect(rows.first()).toContainText('Incident · Noailles: 13 in a burst');
  // Escalation: unacknowledged past 3 s, louder and flashing; past 6 s, raised to the supervisor.
  await expect(rows.first()).toContainText('raised to the supervisor', { timeout: 15_000 });
  await expect(rows.first()).toHaveClass(/level-2/);
  const shot = testInfo.outputPath('alarm-queue-burst.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('alarm queue during the burst', { path: shot, contentType: 'image/png' });

  // The keyboard: Shift+A to the queue, arrows choose (seen), Enter opens the incident, A acknowledges, C closes.
  await search.fill('');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+A');
  await expect(queue).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
  await expect(rows.first()).toContainText('seen');
  await page.keyboard.press('a');
  await expect(rows.last()).toContainText('Noailles: 13 in a burst');
  await expect(rows.last()).toContainText('acknowledged');
  // The indicator alarm: its reflex sheet shows in the side panel, not as a dialog.
  const indicatorRow = rows.filter({ hasText: 'Rixes · Vieux-Port' });
  await indicatorRow.click();
  const sheet = page.getByRole('region', { name: 'Reflex sheet: Rixes · Vieux-Port' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('listitem').first()).toHaveText('Call the duty officer');
  await expect(page.locator('dialog[open]')).toHaveCount(0);
  const sheetShot = testInfo.outputPath('alarm-reflex-sheet.png');
  await page.screenshot({ path: sheetShot });
  await testInfo.attach('reflex sheet in the side panel', { path: sheetShot, contentType: 'image/png' });
  await expect(queue).toBeFocused();
  const before = await rows.count();
  await page.keyboard.press('c');
  await expect(rows).toHaveCount(before - 1);
  await expect(indicatorRow).toHaveCount(0);

  // Muted by this desk: visible, kept across a reload, and a new P1 plays nothing.
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Shift+S');
  await expect(page.getByText('Sound muted')).toBeVisible();
  const played = (await tones(page)).length;
  features.push(incidentFeature('P1-late', { priority: 1, title: 'Explosion cours Belsunce', occurredAt: at(10) }, OUTSIDE));
  feed.setBody(featureCollection(features));
  await expect(page.getByTestId('alarm-announcer')).toContainText('New alarm');
  // It joins the burst outside any district, which becomes a P1.
  await expect(rows.filter({ hasText: 'Incident: 9 in a burst' })).toContainText('P1');
  expect((await tones(page)).length).toBe(played);
});

test('the incident queue: open P1s on top, by priority then newest, the selected incident stays on its row as others arrive, a new P1 flashes', async ({ page }) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  const list = vigiePage.incidentList;
  const options = list.getByRole('option');
  const titles = () => options.evaluateAll((els) => els.map((e) => e.querySelector('.prio')!.textContent + ' ' + e.querySelector('.row-title')!.textContent));
  await expect.poll(async () => (await titles()).length).toBeGreaterThan(70);
  const shown = await titles();
  // Open P1s first, the newest first; then P2s; the P3s last.
  expect(shown.slice(0, 2)).toEqual(['P1 Explosion cours Belsunce', 'P1 Fire in a flat 11']);
  expect(shown[13]).toBe('P1 Stabbing rue d’Aubagne');
  expect(shown.map((s) => s.slice(0, 2))).toEqual([...shown.map((s) => s.slice(0, 2))].sort());

  // Select the 20th row; then a new P1 and a new P2 arrive: the selection stays on row 20.
  await options.nth(19).click();
  const selected = (await titles())[19]!;
  feed.setBody(featureCollection([incidentFeature('P1-new', { priority: 1, title: 'Hostage taking', occurredAt: new Date().toISOString() }, NOAILLES), incidentFeature('P2-new', { priority: 2, title: 'Brawl', occurredAt: new Date().toISOString() }, NOAILLES)]));
  await expect(vigiePage.incident(/Hostage taking/)).toBeVisible();
  await expect(vigiePage.incident(/Brawl/)).toBeVisible();
  expect((await titles())[19]).toBe(selected);
  await expect(options.nth(19)).toHaveAttribute('aria-selected', 'true');
  // The new P1 flashes; the older ones do not.
  await expect(vigiePage.incident(/Hostage taking/)).toHaveAttribute('data-flash', 'true');
  await expect(vigiePage.incident(/Stabbing/)).not.toHaveAttribute('data-flash', 'true');
  // Shift+I: most recent first whatever the priority (open P1s still on top): a noise complaint
  // (P3) of minute 8 comes before a fight (P2) of minute 1, which priority order put the other way.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+I');
  await expect(page.getByRole('button', { name: 'Most recent' })).toBeVisible();
  const order = async () => { const shown = await titles(); return shown.indexOf('P3 Noise 14') < shown.indexOf('P2 Fight on the quay 0'); };
  await expect.poll(order).toBe(true);
  await page.keyboard.press('Shift+I');
  await expect.poll(order).toBe(false);
});
