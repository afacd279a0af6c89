import { BrowserWindow } from 'electron';
import path from 'node:path';
import { APP_ORIGIN } from './security';

/** Panels that may open in a window of their own (renderer/app/panels.ts). */
export const POP_OUT_PANELS = ['incidents', 'details', 'board'] as const;

/**
 * A control-room window: dark from the first frame, isolated, sandboxed, no Node in the page.
 * With a panel, the window shows only that panel (a pop-out for another screen).
 */
export function createMainWindow(distDir: string, panel?: (typeof POP_OUT_PANELS)[number]): BrowserWindow {
  const win = new BrowserWindow({
    width: panel ? 560 : 1600,
    height: panel ? 900 : 1000,
    show: false,
    backgroundColor: '#0b1118',
    title: 'Vigie',
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(distDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      webviewTag: false,
    },
  });
  win.once('ready-to-show', () => {
    if (!panel) win.maximize();
    win.show();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html${panel ? `?panel=${panel}` : ''}`);
  return win;
}
