/**
 * The one Content-Security-Policy of the renderer, whichever way it is served: by Electron from
 * vigie://app (main/electron/security.ts) and by `vigie serve` over HTTP (main/host/websocket.ts),
 * which adds the WebSocket origin the page talks to. Nothing is ever loaded from another origin;
 * MapLibre runs its workers from blob: URLs. Here in the core (no electron import) so that both
 * sides share it.
 */
export function rendererCsp(extraConnect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // Citizen videos play from a blob: of their cleaned copy (renderer/features/incidents/IncidentMedia.tsx).
    "media-src 'self' blob:",
    "font-src 'self' data:",
    ['connect-src', "'self'", ...extraConnect].join(' '),
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Browser mode's login page has no script; it may only post its form to ourselves. */
export const LOGIN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
