import { test, expect, _electron as electron, type ElectronApplication } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from '../../main/host/electronBinary';
import { VigiePage } from '../support/VigiePage';

const root = fileURLToPath(new URL('../..', import.meta.url));
const binary = findElectron();
const mainScript = path.join(root, 'dist', 'electron', 'main.cjs');

test.skip(!('path' in binary), `Electron binary absent (${'missing' in binary ? binary.missing : ''}): the placement rules run in main/electron/windowLayout.test.ts.`);
test.skip(!fs.existsSync(mainScript), 'dist/electron/main.cjs is not built: run `npm run build` first.');

interface OpenWindow {
  url: string;
  bounds: { x: number; y: number; width: number; height: number };
  fullScreen: boolean;
}

/** Every window as Electron's main sees it: which page, where, full screen or not. */
function openWindows(app: ElectronApplication): Promise<OpenWindow[]> {
  return app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows().map((w) => ({ url: w.webContents.getURL(), bounds: w.getBounds(), fullScreen: w.isFullScreen() })),
  );
}

function newProfile(): string {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-electron-'));
  fs.writeFileSync(path.join(profileDir, 'config.json'), JSON.stringify({ demo: false, feeds: [] }));
  return profileDir;
}

test('a pop-out moved on its monitor comes back there, with its panel and its bounds, after a quit and a restart', async () => {
  const profileDir = newProfile();
  // With --profile, the layout file lives beside that profile (not in the tester's own userData).
  const layoutFile = path.join(profileDir, 'window-layout.json');
  const launch = () => electron.launch({ executablePath: (binary as { path: string }).path, args: [mainScript, '--profile', profileDir] });

  let target: OpenWindow['bounds'] | undefined;
  let app = await launch();
  try {
    const main = new VigiePage(await app.firstWindow());
    await main.waitForMap();
    const [popup] = await Promise.all([app.waitForEvent('window'), main.page.getByRole('button', { name: 'Open the incident details in a new window' }).click()]);
    await popup.waitForLoadState();

    // Moved and resized as a supervisor would, inside the primary display's work area.
    target = await app.evaluate(({ BrowserWindow, screen }) => {
      const area = screen.getPrimaryDisplay().workArea;
      const bounds = { x: area.x + 40, y: area.y + 60, width: Math.min(520, area.width - 40), height: Math.min(640, area.height - 60) };
      const popOut = BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().includes('?panel=details'))!;
      popOut.setBounds(bounds);
      // What the window manager made of it: that is what must come back.
      return popOut.getBounds();
    });
    // Saved a moment after the move: wait for the file to say so, then quit.
    await expect
      .poll(() => {
        if (!fs.existsSync(layoutFile)) return null;
        const saved = JSON.parse(fs.readFileSync(layoutFile, 'utf8')) as { windows: { kind: string; bounds: unknown }[] };
        return saved.windows.find((w) => w.kind === 'details')?.bounds ?? null;
      })
      .toEqual(target);
  } finally {
    await app.close();
  }

  app = await launch();
  try {
    const main = new VigiePage(await app.firstWindow());
    await main.waitForMap();
    // Nobody clicks anything: the details pop-out reopens by itself, at the bounds it had.
    await expect.poll(async () => (await openWindows(app)).find((w) => w.url.endsWith('?panel=details'))?.bounds ?? null).toEqual(target);
    expect((await openWindows(app)).map((w) => new URL(w.url).search).sort()).toEqual(['', '?panel=details']);
    const popup = app.windows().find((p) => p.url().endsWith('?panel=details'))!;
    await expect(popup.getByRole('region', { name: 'Incident details' })).toContainText('Select an incident');
  } finally {
    await app.close();
  }
});

test('a wall PC whose machine policy pins the main window: it opens full screen on display 1, and nothing saves over the policy', async () => {
  const profileDir = newProfile();
  const policyFile = path.join(profileDir, 'machine-policy.json');
  fs.writeFileSync(policyFile, JSON.stringify({ windows: { main: { display: 1 } } }));
  const app = await electron.launch({
    executablePath: (binary as { path: string }).path,
    args: [mainScript, '--profile', profileDir],
    env: { ...process.env, VIGIE_POLICY_FILE: policyFile },
  });
  try {
    const main = new VigiePage(await app.firstWindow());
    await main.waitForMap();
    await expect.poll(async () => (await openWindows(app))[0]?.fullScreen).toBe(true);
    // Display 1 is the leftmost (then topmost): the full-screen window is on it.
    const on = await app.evaluate(({ BrowserWindow, screen }) => {
      const leftmost = [...screen.getAllDisplays()].sort((a, b) => a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y)[0]!;
      return { wanted: leftmost.id, actual: screen.getDisplayMatching(BrowserWindow.getAllWindows()[0]!.getBounds()).id };
    });
    expect(on.actual).toBe(on.wanted);
  } finally {
    await app.close();
  }
  expect(fs.existsSync(path.join(profileDir, 'window-layout.json'))).toBe(false);
});
