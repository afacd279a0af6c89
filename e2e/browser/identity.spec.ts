import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { loginsPath, setLogin } from '../../main/host/logins';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let vigie: RunningVigie | null = null;
test.afterEach(async () => {
  await vigie?.stop();
  vigie = null;
});

test('a single desk says plainly, in English and French, that its journal is not anchored and how to anchor it', async ({ page }, testInfo) => {
  vigie = await startVigie({ config: { demo: false } });
  await page.goto(vigie.url);
  // The top bar is enough: the map (software WebGL here) is not what this test is about.
  await expect(page.getByRole('button', { name: 'Audit journal' })).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press('g');
  const journal = page.getByRole('dialog', { name: 'Audit journal' });
  await expect(journal.getByRole('note')).toContainText('Not anchored. Whoever can write this workstation’s profile could cut off the newest rows');
  await expect(journal.getByRole('note')).toContainText('vigie audit anchor --to FILE');
  const shot = testInfo.outputPath('journal-not-anchored-en.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('journal, not anchored (EN)', { path: shot, contentType: 'image/png' });
  await page.keyboard.press('Escape');
  await expect(journal).toBeHidden();
  await page.keyboard.press('l');
  await expect(page.getByRole('button', { name: 'Journal d’audit' })).toBeVisible();
  await page.keyboard.press('g');
  const journalFr = page.getByRole('dialog', { name: 'Journal d’audit' });
  await expect(journalFr.getByRole('note')).toContainText('Non ancré. Quiconque peut écrire le profil de ce poste');
  const shotFr = testInfo.outputPath('journal-not-anchored-fr.png');
  await page.screenshot({ path: shotFr });
  await testInfo.attach('journal, not anchored (FR)', { path: shotFr, contentType: 'image/png' });
});

test('several people open one server from their own browsers: each logs in, and the app is theirs', async ({ page }, testInfo) => {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-'));
  setLogin(loginsPath(profileDir), 'jdupont', 'supervisor', 'correct horse battery');
  vigie = await startVigie({ profileDir, config: { demo: false } });
  expect(vigie.url).toMatch(/\/login$/);
  await page.goto(vigie.url);
  await page.getByLabel('Identifiant / User name').fill('jdupont');
  await page.getByLabel('Mot de passe / Password').fill('not it');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Wrong user name or password');
  const shot = testInfo.outputPath('login.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('login page, after a wrong password', { path: shot, contentType: 'image/png' });
  await page.getByLabel('Identifiant / User name').fill('jdupont');
  await page.getByLabel('Mot de passe / Password').fill('correct horse battery');
  await page.keyboard.press('Enter');
  // The app, connected as that person (session.whoami over the session's own WebSocket).
  await expect(page.getByText('jdupont · supervisor')).toBeVisible({ timeout: 30_000 });
  expect(page.url()).not.toContain('token=');
});
