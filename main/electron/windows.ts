import { BrowserWindow } from 'electron';
import path from 'node:path';
import { APP_ORIGIN } from './security';

/** A control-room window: dark from the first frame, isolated, sandboxed, no Node in the page. */
export function createMainWindow(distDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1600,
    height: 1000,
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
    win.maximize();
    win.show();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
