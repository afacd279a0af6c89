/** Panels a desk can pop out onto another screen (Electron: another window; browser: another tab). */
export const PANELS = ['incidents', 'details', 'board'] as const;
export type Panel = (typeof PANELS)[number];

/** The panel this window shows alone (`?panel=details`), or null for the full workspace. */
export function currentPanel(): Panel | null {
  const panel = new URLSearchParams(window.location.search).get('panel');
  return (PANELS as readonly string[]).includes(panel ?? '') ? (panel as Panel) : null;
}

/**
 * Opens the panel in its own window. Same origin, opened by this tab: the browser copies this
 * tab's session storage (and so its access token) to the new one; Electron's main opens a window
 * for exactly these URLs and denies every other.
 */
export function popOut(panel: Panel): void {
  const url = new URL(window.location.href);
  url.search = `?panel=${panel}`;
  url.hash = '';
  window.open(url.toString(), `vigie-${panel}`, 'popup,width=560,height=900');
}
