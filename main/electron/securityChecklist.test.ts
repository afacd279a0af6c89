import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The Electron security checklist (electronjs.org/docs/latest/tutorial/security), checked on our
 * own window and session code: Electron itself cannot run here, so the `electron` module is
 * replaced by recorders, and each check calls the handlers our code registered exactly as Electron
 * would. Flipping any flag or loosening any handler fails a test.
 */
const recorded = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; loaded: string[] }[],
  session: {} as Record<string, (...args: unknown[]) => unknown>,
  appEvents: {} as Record<string, (...args: unknown[]) => void>,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      recorded.windows.push(this);
    }
    once() {}
    maximize() {}
    show() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  const defaultSession = {
    setPermissionRequestHandler: (h: (...a: unknown[]) => unknown) => (recorded.session.permissionRequest = h),
    setPermissionCheckHandler: (h: (...a: unknown[]) => unknown) => (recorded.session.permissionCheck = h),
    setDevicePermissionHandler: (h: (...a: unknown[]) => unknown) => (recorded.session.devicePermission = h),
  };
  return { BrowserWindow, session: { defaultSession }, app: { on: (event: string, h: (...a: unknown[]) => void) => (recorded.appEvents[event] = h) } };
});

const { createMainWindow } = await import('./windows');
const { APP_ORIGIN, CONTENT_SECURITY_POLICY, hardenSessions, isTrustedSender } = await import('./security');
const { appFile } = await import('./appFile');

/** A WebContents as Electron hands it to 'web-contents-created'. */
function fakeContents() {
  const listeners: Record<string, (event: { preventDefault(): void }, url?: string) => void> = {};
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
    on: (event: string, h: (typeof listeners)[string]) => (listeners[event] = h),
  };
  const prevented = (event: string, url?: string) => {
    let stopped = false;
    listeners[event]!({ preventDefault: () => (stopped = true) }, url);
    return stopped;
  };
  return { contents, prevented, open: (url: string) => openHandler!({ url }) };
}

describe('Electron security checklist', () => {
  beforeEach(() => {
    recorded.windows.length = 0;
  });

  it('every window is isolated, sandboxed, without Node, with web security, and loads only our scheme', () => {
    createMainWindow('/opt/vigie/dist');
    createMainWindow('/opt/vigie/dist', 'board');
    // A window the saved layout or the policy places (windowLayout.ts) is the same window, elsewhere.
    createMainWindow('/opt/vigie/dist', 'details', { kind: 'details', displayId: 2, how: 'policy', bounds: { x: -1920, y: 0, width: 1920, height: 1040 }, maximized: false, fullScreen: true });
    expect(recorded.windows).toHaveLength(3);
    expect(recorded.windows[2]!.options).toMatchObject({ x: -1920, y: 0, width: 1920, height: 1040 });
    for (const win of recorded.windows) {
      expect(win.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
      });
      expect((win.options.webPreferences as Record<string, unknown>).nodeIntegrationInSubFrames).not.toBe(true);
      expect(win.loaded.every((url) => url.startsWith(`${APP_ORIGIN}/`))).toBe(true);
    }
  });

  it('denies every permission request, permission check and device access', () => {
    hardenSessions();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      let granted: boolean | undefined;
      recorded.session.permissionRequest!({}, permission, (answer: boolean) => (granted = answer), {});
      expect(granted, permission).toBe(false);
      expect(recorded.session.permissionCheck!({}, permission, APP_ORIGIN, {}), permission).toBe(false);
    }
    expect(recorded.session.devicePermission!({ deviceType: 'usb', origin: APP_ORIGIN })).toBe(false);
  });

  it('denies navigation away, redirects, new windows and webviews in every web contents', () => {
    hardenSessions();
    const { contents, prevented, open } = fakeContents();
    recorded.appEvents['web-contents-created']!({}, contents);
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', 'file:///etc/passwd')).toBe(true);
    // The origin check has its trailing separator: a look-alike host is another origin.
    expect(prevented('will-navigate', 'vigie://app.evil.example/index.html')).toBe(true);
    expect(prevented('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(prevented('will-redirect', 'https://evil.example/')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open(`${APP_ORIGIN}/index.html`)).toEqual({ action: 'deny' });
  });

  it('takes IPC only from the main frame of our own origin', () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: null })).toBe(true);
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'vigie://app.evil/index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('has a strict content security policy: nothing from the network, no inline or eval script', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [name, values] of directives) {
      for (const v of values) expect(`${name} ${v}`).not.toMatch(/\*|https?:|'unsafe-eval'|ws:/);
    }
  });

  it('serves vigie://app only from inside the renderer folder', () => {
    const dir = '/opt/vigie/dist/renderer';
    expect(appFile(dir, 'vigie://app/index.html')).toBe(path.join(dir, 'index.html'));
    expect(appFile(dir, 'vigie://app/..%2Frenderer-evil%2Fx.js')).toBeNull();
    expect(appFile(dir, 'vigie://app/..%2F..%2Fsecrets.json')).toBeNull();
    expect(appFile(dir, 'vigie://app/%E0%A4%A')).toBeNull();
    expect(appFile(dir, 'vigie://app/a%00b')).toBeNull();
    expect(appFile(dir, 'vigie://other/index.html')).toBeNull();
  });

  it('main turns the sandbox on for every renderer and hardens sessions before any window', () => {
    // main.ts cannot run without Electron: its order of calls is read from the source.
    const main = fs.readFileSync(path.join(__dirname, 'main.ts'), 'utf8');
    expect(main).toMatch(/app\.enableSandbox\(\)/);
    const ready = main.slice(main.indexOf('app.whenReady()'));
    expect(ready.indexOf('hardenSessions()')).toBeGreaterThan(-1);
    expect(ready.search(/openStartupWindows\(\)/)).toBeGreaterThan(-1);
    expect(ready.indexOf('hardenSessions()')).toBeLessThan(ready.search(/openStartupWindows\(\)/));
    expect(main).toMatch(/appFile\(rendererDir, request\.url\)/);
    expect(main).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/);
  });
});
