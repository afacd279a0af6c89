import { BrowserWindow, screen } from 'electron';
import path from 'node:path';
import { APP_ORIGIN } from './security';
import type { WindowsPolicy } from '../core/policy/machinePolicy';
import { captureLayout, policyLayout, POP_OUT_PANELS, rescueOffScreen, restoreLayout, type DisplayInfo, type Placement, type PopOutPanel, type WindowKind } from './windowLayout';
import { quarantineLayoutFile, readLayoutFile, writeLayoutFile } from './windowLayoutFile';

export { POP_OUT_PANELS };

/**
 * A control-room window: dark from the first frame, isolated, sandboxed, no Node in the page.
 * With a panel, the window shows only that panel (a pop-out for another screen). With a placement
 * (the saved layout, or the machine policy's), it opens on that display at those bounds.
 */
export function createMainWindow(distDir: string, panel?: PopOutPanel, placement?: Placement): BrowserWindow {
  const win = new BrowserWindow({
    ...(placement ? placement.bounds : { width: panel ? 560 : 1600, height: panel ? 900 : 1000 }),
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
    // On Windows, a window created on a monitor whose scale differs from the primary's comes out
    // sized by the primary's scale (electron/electron#10862, fixed after Electron 42 by #51603):
    // setting the same bounds again, now that it sits on that monitor, gives it its real size.
    if (placement) win.setBounds(placement.bounds);
    // Full screen and maximize apply to the display the window is on: the bounds above put it there.
    if (placement?.fullScreen) {
      win.setMenuBarVisibility(false);
      win.setFullScreen(true);
    } else if (placement ? placement.maximized : !panel) {
      win.maximize();
    }
    win.show();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html${panel ? `?panel=${panel}` : ''}`);
  return win;
}

/**
 * The windows to open at start, on today's displays: the layout the machine policy pins, else the
 * one saved at the last quit. A damaged file is set aside and said in the log, never fatal.
 */
export function startupLayout(file: string, pinned: WindowsPolicy | undefined, warn: (message: string) => void): { kind: WindowKind; placement?: Placement }[] {
  const displays = screen.getAllDisplays();
  const primaryId = screen.getPrimaryDisplay().id;
  if (displays.length === 0) {
    warn('Electron reports no display: the main window opens where the system puts it, and the saved window layout waits for a display.');
    return [{ kind: 'main' }];
  }
  return layoutOn(displays, primaryId, file, pinned, warn).map((placement) => ({ kind: placement.kind, placement }));
}

function layoutOn(displays: DisplayInfo[], primaryId: number, file: string, pinned: WindowsPolicy | undefined, warn: (message: string) => void): Placement[] {
  if (pinned) {
    const { placements, problems } = policyLayout(pinned, displays, primaryId);
    problems.forEach(warn);
    return placements;
  }
  const { layout, problem } = readLayoutFile(file);
  if (problem) {
    const aside = quarantineLayoutFile(file);
    warn(`The window layout ${file} is not used: ${problem}. The windows open in the default layout${aside ? ` (the file is kept as ${aside})` : ''}; move them where they belong and Vigie saves the new layout.`);
  }
  return restoreLayout(layout, displays, primaryId);
}

/**
 * Keeps the workstation's window layout file up to date: saved a moment after any window moves,
 * resizes, maximizes or closes, and once more when the app quits (then no longer: the windows
 * closing on the way out must not erase the pop-outs that were open). A layout the machine policy
 * pins is never saved over (`pinned`).
 */
export class WindowLayoutKeeper {
  private readonly kinds = new Map<BrowserWindow, WindowKind>();
  private timer: NodeJS.Timeout | null = null;
  private frozen = false;

  constructor(
    private readonly file: string,
    private readonly pinned: boolean,
    private readonly onError: (error: Error) => void,
    private readonly delayMs = 500,
  ) {}

  /** A monitor unplugged while Vigie runs: a window left on no display comes back onto the primary. */
  watchDisplays(): void {
    screen.on('display-removed', () => {
      const displays = screen.getAllDisplays();
      const primaryId = screen.getPrimaryDisplay().id;
      for (const win of this.kinds.keys()) {
        const rescued = win.isDestroyed() ? null : rescueOffScreen(win.getBounds(), displays, primaryId);
        if (rescued) win.setBounds(rescued);
      }
    });
  }

  track(win: BrowserWindow, kind: WindowKind): void {
    this.kinds.set(win, kind);
    for (const event of ['move', 'resize', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) {
      win.on(event as 'move', () => this.schedule());
    }
    // The last window closing quits the app: the layout is the one it had, with this window in it.
    win.on('close', () => {
      if ([...this.kinds.keys()].filter((w) => !w.isDestroyed()).length === 1) this.saveAndFreeze();
    });
    win.on('closed', () => {
      this.kinds.delete(win);
      this.schedule();
    });
  }

  /** At quit: the layout as it is now, then nothing more. */
  saveAndFreeze(): void {
    if (this.frozen) return;
    this.save();
    this.frozen = true;
  }

  private schedule(): void {
    if (this.frozen || this.pinned) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), this.delayMs);
  }

  private save(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.frozen || this.pinned) return;
    const open = [...this.kinds].filter(([win]) => !win.isDestroyed());
    const displays = screen.getAllDisplays();
    // No display (a headless start): nothing to place windows on, and the saved layout is kept.
    if (open.length === 0 || displays.length === 0) return;
    try {
      const windows = open.map(([win, kind]) => ({ kind, bounds: win.getNormalBounds(), current: win.getBounds(), maximized: win.isMaximized(), fullScreen: win.isFullScreen() }));
      writeLayoutFile(this.file, captureLayout(windows, displays));
    } catch (error) {
      this.onError(error as Error);
    }
  }
}
