import path from 'node:path';
import { isInside } from '../core/net/guard';

/**
 * The file a `vigie://app/…` request names, or null: another host, a broken escape, a NUL, or a
 * path outside the renderer folder (checked with a trailing separator: `dist/renderer-evil` is
 * not inside `dist/renderer`). Pure, so it is tested without Electron.
 */
export function appFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  let decoded: string;
  try {
    url = new URL(requestUrl);
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (url.host !== 'app' || decoded.includes('\0')) return null;
  const file = path.normalize(path.join(rendererDir, decoded));
  return isInside(path.resolve(rendererDir), file) ? file : null;
}
