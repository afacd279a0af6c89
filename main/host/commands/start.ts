import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from '../../core/paths';
import { findElectron } from '../electronBinary';
import { parse } from '../args';
import type { Command } from './command';
import { SERVE_OPTIONS, startServer, waitForSignal } from './serve';

/** Opens a URL in the desktop's browser, where there is a desktop. */
function openInBrowser(url: string): boolean {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  try {
    spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
    return true;
  } catch {
    return false;
  }
}

const command: Command = {
  name: 'start',
  summary: 'Open Vigie: the desktop app where Electron is installed, else browser mode',
  usage: `vigie start [--profile DIR] [--no-demo] [--port N]

Starts the Electron app. Where the Electron binary is not installed, says so and runs
browser mode instead (the same UI, served on 127.0.0.1), opening your browser if there is a desktop.`,
  async run(argv) {
    const { values } = parse(argv, SERVE_OPTIONS);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const electron = findElectron();
    const mainScript = path.join(appRoot(), 'dist', 'electron', 'main.cjs');
    if ('path' in electron && fs.existsSync(mainScript)) {
      const args = [mainScript, ...(values.profile ? ['--profile', values.profile] : []), ...(values['no-demo'] ? ['--no-demo'] : [])];
      const child = spawn(electron.path, args, { stdio: 'inherit' });
      return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
    }
    const why = 'missing' in electron ? electron.missing : 'the Electron main process is not built (npm run build)';
    console.log(`Electron is not available here (${why}), so Vigie opens in browser mode instead: same UI, in your browser.`);
    const { core, server, profileDir } = await startServer(values);
    console.log(`Profile: ${profileDir}${core.demoRunning ? ' (demo feed: simulated incidents)' : ''}`);
    console.log(`Vigie listening on ${server.url}`);
    if (!openInBrowser(server.url)) console.log('Open that address in Chromium, Chrome, Firefox or Edge. Ctrl+C stops Vigie.');
    await waitForSignal();
    await server.close();
    await core.close();
    return 0;
  },
};
export default command;
