import fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The Electron executable, or the reason there is none. The `electron` npm package is only a
 * downloader: where its binary could not be fetched, Vigie runs in browser mode instead.
 */
export function findElectron(): { path: string } | { missing: string } {
  try {
    const require = createRequire(import.meta.url);
    const binary = require('electron') as unknown;
    if (typeof binary === 'string' && fs.existsSync(binary)) return { path: binary };
    return { missing: 'the electron package has no binary' };
  } catch (error) {
    const message = (error as Error).message;
    return { missing: /Cannot find module/.test(message) ? 'the electron package is not installed' : 'its binary was never downloaded' };
  }
}
