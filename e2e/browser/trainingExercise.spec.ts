import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { loginsPath, setLogin } from '../../main/host/logins';
import { startVigie, vigieCli, type RunningVigie } from '../support/vigieServer';
import { printDebrief, saveDebrief } from '../support/debrief';
import { VigiePage } from '../support/VigiePage';

/** 64,028 real Houston reports (../shared/data, beside the project; never copied into it). */
const HOUSTON = fileURLToPath(new URL('../../../shared/data/incidents/houston_2010-01_2010-06.csv.gz', import.meta.url));

test.skip(!fs.existsSync(HOUSTON), `the Houston sample is absent (${HOUSTON}): this training exercise needs ../shared/data`);
// The file's times are UTC, and so are the exercise clock's (--day, --start): read both in UTC.
test.use({ timezoneId: 'UTC' });
test.setTimeout(240_000);

const DAY = '2010-01-05';
const START = Date.parse(`${DAY}T07:50:00Z`);
const INJECT_AT = START + 12 * 60_000; // offsetSeconds 720: 08:02
const END = START + 15 * 60_000; // 15 minutes of exercise: 08:05

/** The test's own reading of the file (independent of the importer): each report's time on DAY. */
function dayTimes(): number[] {
  const lines = zlib.gunzipSync(fs.readFileSync(HOUSTON)).toString('utf8').trim().split(/\r?\n/);
  // The first column is the time ("2010-01-05 07:00:00", UTC); lon and lat are never empty on this day.
  return lines.slice(1).filter((l) => l.startsWith(DAY)).map((l) => Date.parse(`${l.slice(0, 19).replace(' ', 'T')}Z`));
}

let vigie: RunningVigie;
let root: string;

test.beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-exercise-'));
  const live = path.join(root, 'live');
  const lines = zlib.gunzipSync(fs.readFileSync(HOUSTON)).toString('utf8').trim().split(/\r?\n/);
  // The day before, the day, the day after: one period of the history, as a user would import it.
  const period = path.join(root, 'houston-2010-01-04-06.csv.gz');
  fs.writeFileSync(period, zlib.gzipSync([lines[0], ...lines.slice(1).filter((l) => /^2010-01-0[456]/.test(l))].join('\n')));
  expect(execFileSync(process.execPath, [vigieCli, 'import', '--profile', live, '--type', 'csv', period]).toString()).toMatch(/stored \d+/);
  const scenario = path.join(root, 'scenario.json');
  // Shaped as the day's reports are (the importer's category, priority, status, title, place): the trainee must not tell it apart.
  fs.writeFileSync(scenario, JSON.stringify({
    name: 'Break-in spree',
    injections: [{ offsetSeconds: 720, note: 'the test call', record: { kind: 'incident', externalId: 'S1', category: 'burglary', priority: 3, status: 'new', title: 'burglary', lon: -95.3698, lat: 29.7604 } }],
  }));
  const sandbox = path.join(root, 'sandbox');
  // At 1x until the trainer speeds it up: pages open while the exercise clock barely moves.
  const printed = execFileSync(process.execPath, [vigieCli, 'sandbox', 'create', '--profile', live, '--day', DAY, '--start', '07:50', '--speed', '1', '--out', sandbox, '--scenario', scenario]).toString();
  expect(printed).toMatch(/records arrive in time from 07:50 UTC/);
  setLogin(loginsPath(sandbox), 'stagiaire', 'supervisor', 'trainee password 1');
  setLogin(loginsPath(sandbox), 'formateur', 'trainer', 'trainer password 1');
  vigie = await startVigie({ profileDir: sandbox });
});

test.afterAll(async () => {
  await vigie?.stop();
});

async function login(browser: Browser, user: string, password: string): Promise<Page> {
  const context = await browser.newContext({ timezoneId: 'UTC', acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${user}] page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && console.error(`[${user}] console: ${m.text()}`));
  await page.goto(vigie.url);
  await page.getByLabel('Identifiant / User name').fill(user);
  await page.getByLabel('Mot de passe / Password').fill(password);
  await page.keyboard.press('Enter');
  // The app as that person; the map is not what this test reads, so it does not wait for WebGL.
  await expect(page.getByText(new RegExp(`^${user} · `))).toBeVisible({ timeout: 60_000 });
  await expect(new VigiePage(page).incidentList).toBeVisible();
  return page;
}

/** The exercise instant a window shows in its top bar (HH:MM:SS of DAY, UTC). */
async function shownClock(page: Page): Promise<number> {
  const text = (await page.getByRole('timer', { name: 'Exercise clock' }).locator('.exercise-time').textContent())!.trim();
  return Date.parse(`${DAY}T${text}Z`);
}

/** Tag and class of every element of a row, in document order: what styling and screen readers see. */
const shape = (page: Page, id: string) =>
  page.locator(`[role="option"][data-id="${id}"]`).evaluate((row) => [row.className, ...Array.from(row.querySelectorAll('*')).map((e) => `${e.tagName}.${e.className}`)]);

test('an exercise replays the Houston day in time at 60x, an injected call nobody can spot, timers on the exercise clock, and a debrief the file confirms', async ({ browser }, testInfo) => {
  const times = dayTimes();
  expect(times.length).toBe(322);
  const before = times.filter((t) => t < START);
  const at0800 = times.filter((t) => t >= START && t <= END);
  expect(at0800.length).toBeGreaterThan(0);
  expect(new Set(at0800)).toEqual(new Set([Date.parse(`${DAY}T08:00:00Z`)]));

  const trainee = await login(browser, 'stagiaire', 'trainee password 1');
  const trainer = await login(browser, 'formateur', 'trainer password 1');
  const traineePage = new VigiePage(trainee);
  const trainerPage = new VigiePage(trainer);
  await expect(trainee.getByRole('status').filter({ hasText: 'TRAINING' })).toBeVisible();
  // The trainer holds the clock while the trainee's screen is read (Shift+B), however slow the machine.
  await trainer.keyboard.press('Shift+B');
  await expect(trainee.getByRole('timer', { name: 'Exercise clock' })).toContainText('paused');

  // The exercise opens on the day as it stood at 07:50: the calls before, aged on the exercise clock (minutes, not "6109 d ago").
  await expect(traineePage.incidentList.getByRole('option')).toHaveCount(before.length);
  expect(await shownClock(trainee)).toBeLessThan(START + 5 * 60_000);
  const ages = await traineePage.incidentList.getByRole('option').locator('.row-meta .muted').allTextContents();
  expect(ages.filter((a) => / d ago/.test(a))).toEqual([]);
  expect(ages[0]).toMatch(/^(4\d|5\d) min ago$/); // the newest of them occurred at 07:00
  // The trainee cannot run the clock.
  await expect(trainee.getByRole('button', { name: 'Pause the exercise' })).toHaveCount(0);

  // The trainer sets 60x (Shift+K: 1x → 2x → 10x → 60x) and resumes (Shift+B).
  for (const speed of ['2×', '10×', '60×']) {
    await trainer.keyboard.press('Shift+K');
    await expect(trainer.getByRole('timer', { name: 'Exercise clock' })).toContainText(speed);
  }
  await trainer.keyboard.press('Shift+B');
  await expect(trainee.getByRole('timer', { name: 'Exercise clock' })).toHaveText(/^\d\d:\d\d:\d\d60×$/);

  // The 08:00 calls arrive at 08:00 on the exercise clock, not before: sample the trainee's screen until they are there.
  // Clock and rows read in one go in the page, so a sample is one instant of the screen.
  const samples: { clock: number; rows: number }[] = [];
  await expect
    .poll(async () => {
      const s = await trainee.evaluate(() => ({
        clock: document.querySelector('.exercise-clock .exercise-time')!.textContent!.trim(),
        rows: document.querySelectorAll('[aria-label="Incident list"] [role="option"]').length,
      }));
      samples.push({ clock: Date.parse(`${DAY}T${s.clock}Z`), rows: s.rows });
      return s.rows;
    }, { timeout: 60_000, intervals: [100] })
    .toBeGreaterThanOrEqual(before.length + at0800.length);
  const arrival = samples.find((s) => s.rows > before.length)!;
  // All of 08:00 at once (one instant of the file), and nothing else before the injection at 08:02.
  expect(arrival.rows === before.length + at0800.length || arrival.clock >= INJECT_AT).toBe(true);
  // Never before 08:00, never later than a push takes. At 60x a quarter second of wall time (the clock's refresh) is
  // 15 s of exercise time, and on this shared machine a push can take a second or two: the allowances below.
  expect(arrival.clock).toBeGreaterThanOrEqual(Date.parse(`${DAY}T07:59:30Z`));
  expect(samples.filter((s) => s.clock < Date.parse(`${DAY}T07:59:30Z`)).every((s) => s.rows === before.length)).toBe(true);
  expect(samples.filter((s) => s.clock >= Date.parse(`${DAY}T08:02:00Z`)).every((s) => s.rows >= before.length + at0800.length)).toBe(true);
  // In order: the newest first, and the 08:00 calls say so on the exercise clock.
  await trainer.keyboard.press('Shift+B'); // paused while the screen is read: ages do not move meanwhile
  await expect(trainee.getByRole('timer', { name: 'Exercise clock' })).toContainText('paused');
  const topAges = await traineePage.incidentList.getByRole('option').locator('.row-meta .muted').allTextContents();
  // The 08:00 calls (and the injection, if 08:02 has passed) first, minutes old (under 10: the clock is near 08:00, however
  // loaded the machine); then the calls of before, an hour and more.
  const recent = topAges.map((a) => /^\d+ s ago$|^\d min ago$/.test(a));
  const firstOld = recent.indexOf(false);
  expect([at0800.length, at0800.length + 1]).toContain(firstOld);
  expect(recent.slice(firstOld).every((r) => !r)).toBe(true);
  expect(topAges.slice(firstOld).every((a) => / h ago$/.test(a))).toBe(true);
  await trainer.keyboard.press('Shift+B');
  await expect(trainee.getByRole('timer', { name: 'Exercise clock' })).toHaveText(/^\d\d:\d\d:\d\d60×$/);

  // The injection at 08:02: marked on the trainer's screen only.
  await expect(trainerPage.incidentList.getByRole('option')).toHaveCount(before.length + at0800.length + 1, { timeout: 60_000 });
  const marked = trainerPage.incidentList.getByRole('option').filter({ has: trainer.locator('.inject-chip') });
  await expect(marked).toHaveCount(1);
  // Held while both screens are compared and the trainee works the call (ages and timers stand still).
  await trainer.keyboard.press('Shift+B');
  await expect(trainee.getByRole('timer', { name: 'Exercise clock' })).toContainText('paused');
  const injectedId = (await marked.getAttribute('data-id'))!;
  await expect(traineePage.incidentList.getByRole('option')).toHaveCount(before.length + at0800.length + 1);
  await expect(trainee.locator('.inject-chip')).toHaveCount(0);
  // Same feed, same id shape as the day's reports (the trainee may read ids in the details and the journal).
  const realId = (await traineePage.incidentList.getByRole('option').nth(1).getAttribute('data-id'))!;
  expect(injectedId.replace(/[0-9a-f]{16}$/, '')).toBe(realId.replace(/[0-9a-f]{16}$/, ''));
  expect(injectedId).toMatch(/:[0-9a-f]{16}$/);
  // Same elements, same classes as a real new P3 row of the day; same kind of text; nothing says "training".
  const realBurglary = traineePage.incidentList.getByRole('option').filter({ has: trainee.locator('.row-title', { hasText: /^burglary$/ }) }).and(trainee.locator(`:not([data-id="${injectedId}"])`)).first();
  const realRowId = (await realBurglary.getAttribute('data-id'))!;
  expect(await shape(trainee, injectedId)).toEqual(await shape(trainee, realRowId));
  const injectedRow = trainee.locator(`[role="option"][data-id="${injectedId}"]`);
  // What a screen reader hears, but for the age: the same words as the real row's.
  const spoken = (row: typeof injectedRow) => row.evaluate((li) => Array.from(li.querySelectorAll('.prio, .row-title, .row-sub, .status-chip')).map((e) => e.textContent).join(' | '));
  expect(await spoken(injectedRow)).toBe(await spoken(realBurglary));
  await expect(injectedRow).not.toContainText(/training|scenario|S1|inject/i);
  await expect(injectedRow.locator('.row-meta .muted')).toHaveText(/^\d+ s ago$|^\d+ min ago$/);

  // Timers on the exercise clock: the trainee opens the injected call; time to acknowledge runs in minutes of the exercise.
  await injectedRow.click();
  const toAck = traineePage.details.getByLabel('Time to acknowledge');
  await expect(toAck).toHaveText(/^\d{1,2}:\d\d$/); // minutes:seconds of exercise time, not "146622:14:26"
  await expect(traineePage.details).not.toContainText(/training|scenario/i);
  await trainee.keyboard.press('a');
  await expect(traineePage.details).toContainText(/acknowledged/i);
  await expect(toAck).not.toHaveClass(/running/);
  const ackShown = (await toAck.textContent())!;
  await trainer.keyboard.press('Shift+B');
  await expect(trainee.getByRole('timer', { name: 'Exercise clock' })).toHaveText(/^\d\d:\d\d:\d\d60×$/);

  // 15 minutes of exercise (07:50 → 08:05): the trainer pauses there and the clock stands still.
  await expect.poll(() => shownClock(trainer), { timeout: 60_000, intervals: [200] }).toBeGreaterThanOrEqual(END);
  await trainer.keyboard.press('Shift+B');
  await expect(trainee.getByRole('timer', { name: 'Exercise clock' })).toContainText('paused');
  const pausedAt = await shownClock(trainee);
  expect(pausedAt).toBeLessThan(Date.parse(`${DAY}T08:30:00Z`));
  // No 09:00 call yet: the day keeps its times.
  await expect(traineePage.incidentList.getByRole('option')).toHaveCount(before.length + at0800.length + 1);

  for (const [page, name] of [[trainee, 'trainee'], [trainer, 'trainer']] as const) {
    const shot = testInfo.outputPath(`exercise-${name}.png`);
    await page.screenshot({ path: shot });
    await testInfo.attach(`the ${name}'s screen`, { path: shot, contentType: 'image/png' });
  }

  // The debrief (trainer, Shift+D), its figures recomputed here from the file.
  const files = await saveDebrief(trainer, testInfo);
  const csv = fs.readFileSync(files.find((f) => f.endsWith('.csv'))!, 'utf8').trim().split('\r\n').map((l) => l.split(','));
  const header = csv[0]!;
  const col = (row: string[], name: string) => row[header.indexOf(name)]!;
  const rows = csv.slice(1);
  const dayRows = rows.filter((r) => col(r, 'origin') === 'day');
  // Every call of the file up to the pause reached the exercise, at its own time; none after.
  const expected = times.filter((t) => t <= pausedAt).sort((a, b) => a - b);
  expect(dayRows.map((r) => Date.parse(col(r, 'occurredAt'))).sort((a, b) => a - b)).toEqual(expected);
  // Each was shown when it occurred, or at the exercise start for the calls before it.
  for (const r of dayRows) expect(Date.parse(col(r, 'shownAt'))).toBe(Math.max(Date.parse(col(r, 'occurredAt')), START));
  // The file records no acknowledgement, dispatch or closing: the real day's columns stay empty rather than invented.
  expect(dayRows.every((r) => col(r, 'dayAcknowledgedAfterS') === '' && col(r, 'dayDispatchedAfterS') === '' && col(r, 'dayClosedAfterS') === '')).toBe(true);
  const injected = rows.filter((r) => col(r, 'origin') === 'scenario');
  expect(injected.map((r) => col(r, 'incident'))).toEqual([injectedId]);
  const inj = injected[0]!;
  expect(Date.parse(col(inj, 'shownAt'))).toBe(INJECT_AT);
  expect(col(inj, 'acknowledgedBy')).toBe('stagiaire');
  const ackSeconds = (Date.parse(col(inj, 'acknowledgedAt')) - INJECT_AT) / 1000;
  expect(Number(col(inj, 'secondsToAcknowledge'))).toBe(Math.round(ackSeconds));
  // The trainee's screen showed the same figure (m:ss of exercise time).
  const [m, s] = ackShown.split(':').map(Number);
  expect(Math.abs(m! * 60 + s! - ackSeconds)).toBeLessThanOrEqual(1);

  const report = await trainer.context().newPage();
  await report.goto(`file://${files.find((f) => f.endsWith('.html'))!}`);
  await expect(report.getByRole('row', { name: /Injections answered/ })).toContainText('1 of 1');
  await printDebrief(report, testInfo);
});
