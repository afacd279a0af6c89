import { app, session, type WebContents } from 'electron';
import { rendererCsp } from '../core/net/csp';

export const APP_SCHEME = 'vigie';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** The renderer's CSP (main/core/net/csp.ts): the same policy browser mode serves, without its WebSocket origin. */
export const CONTENT_SECURITY_POLICY = rendererCsp();

/** True only for the main frame of one of our own pages: every IPC message is checked with it. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  if (!frame || frame.parent) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN || frame.url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

/** Applied once: deny every permission, every navigation away, every new window. */
export function hardenSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}

function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
