import { test, expect, _electron as electron } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from '../../main/host/electronBinary';
import { featureCollection, incidentFeature } from '../../test/helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));
const binary = findElectron();
const mainScript = path.join(root, 'dist', 'electron', 'main.cjs');

test.skip(!('path' in binary), `Electron binary absent (${'missing' in binary ? binary.missing : ''}): main/electron/serviceExit.test.ts runs the service and main's decision on a real damaged file.`);
test.skip(!fs.existsSync(mainScript), 'dist/electron/main.cjs is not built: run `npm run build` first.');

test('a damaged database gets one dialog naming the file, the last backup and the restore command; the service is not restarted', async () => {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-electron-damaged-'));
  const env = { ...process.env, VIGIE_POLICY_FILE: '/nonexistent/policy.json' };
  const vigie = (...args: string[]) => execFileSync(process.execPath, [path.join(root, 'bin', 'vigie.mjs'), ...args], { env, encoding: 'utf8' });
  const geojson = path.join(profileDir, '..', `${path.basename(profileDir)}.geojson`);
  fs.writeFileSync(geojson, featureCollection(Array.from({ length: 3_000 }, (_, i) => incidentFeature(`D${i}`, {}, [5.3 + (i % 100) / 500, 43.2 + (i % 70) / 500]))));
  vigie('ingest', '--profile', profileDir, '--type', 'geojson', geojson);
  vigie('backup', '--profile', profileDir);
  const file = path.join(profileDir, 'vigie.sqlite');
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(16_384, 0x5a), 0, 16_384, Math.floor(fs.statSync(file).size / 2 / 4096) * 4096);
  fs.closeSync(fd);

  // Native dialogs are out of Playwright's reach: a preloaded stub in Electron's main records what it was asked to show.
  const record = path.join(profileDir, '..', `${path.basename(profileDir)}-dialog.json`);
  const stub = path.join(profileDir, '..', `${path.basename(profileDir)}-stub.cjs`);
  fs.writeFileSync(stub, `if (process.type === 'browser') { const { dialog } = require('electron'); const fs = require('node:fs'); dialog.showMessageBox = async (o) => { fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify(o) + '\\n'); return { response: 1 }; }; }`);
  const app = await electron.launch({ executablePath: (binary as { path: string }).path, args: [mainScript, '--profile', profileDir], env: { ...env, NODE_OPTIONS: `--require ${stub}` } });
  const closed = new Promise((resolve) => app.process().once('exit', resolve));
  await expect.poll(() => fs.existsSync(record), { timeout: 30_000 }).toBe(true);
  await closed; // "Quit": Vigie closes instead of waiting on a service that will never come
  const shown = fs.readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { message: string; detail: string });
  expect(shown).toHaveLength(1);
  expect(shown[0]!.message).toContain(`${file} is damaged`);
  expect(shown[0]!.detail).toMatch(/vigie restore --from ".*vigie-[^"]*" --profile ".*"/);
  const mainLog = fs.readFileSync(path.join(profileDir, 'logs', 'main.log'), 'utf8');
  expect(mainLog).toContain('refused the database');
  expect(mainLog).not.toContain('restarting in');
});
