import { app, BrowserWindow, clipboard, dialog, ipcMain, MessageChannelMain, net, protocol, safeStorage, utilityProcess, type UtilityProcess } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, hardenSessions, isTrustedSender } from './security';
import { createMainWindow, POP_OUT_PANELS, startupLayout, WindowLayoutKeeper } from './windows';
import type { Placement, PopOutPanel } from './windowLayout';
import { WINDOW_LAYOUT_FILE } from './windowLayoutFile';
import { loadMachinePolicy } from '../core/policy/machinePolicy';
import { appFile } from './appFile';
import { setupUpdates } from './updates';
import { credentialsHandover, type Cipher } from './credentialVault';
import { createClient, type ConnectionState, type VigieClient, type WireMessage } from '../../common/rpc';
import { configureLogging, log } from '../core/log';
import { RestartBackoff } from './restartBackoff';
import { afterServiceExit } from './serviceExit';
import { isServiceRefusal, type ServiceRefusal } from '../host/serviceRefusal';

/**
 * Electron main: windows, security policy, and the data service's lifecycle. No SQLite here: the
 * service runs in a utility process and each window talks to it over its own MessagePort.
 */
const appRoot = app.getAppPath();
const distDir = path.join(appRoot, 'dist');
const rendererDir = path.join(distDir, 'renderer');
const argv = process.argv.slice(app.isPackaged ? 1 : 2);
const profileArg = argv.indexOf('--profile');
const profileDir = profileArg >= 0 && argv[profileArg + 1] ? path.resolve(argv[profileArg + 1]!) : path.join(app.getPath('userData'), 'profiles', 'default');
const noDemo = argv.includes('--no-demo');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
app.enableSandbox();

let service: UtilityProcess | null = null;
const backoff = new RestartBackoff();
const logger = log('electron');
// Main's own lines go beside the service's, in the profile: `vigie doctor --bundle` collects both.
configureLogging({ dir: path.join(profileDir, 'logs'), name: 'main' });
const windows = new Set<BrowserWindow>();
/**
 * The window layout is the workstation's, in userData; a desk started on another profile (a
 * training sandbox, a test) keeps its own beside that profile, so it never moves the everyday one.
 */
const layoutFile = profileArg >= 0 ? path.join(profileDir, WINDOW_LAYOUT_FILE) : path.join(app.getPath('userData'), WINDOW_LAYOUT_FILE);
const machinePolicy = loadMachinePolicy();
if (machinePolicy.status === 'invalid') logger.warn(`The machine policy's window layout is not used: ${machinePolicy.error}`);
const pinnedWindows = machinePolicy.status === 'applied' ? machinePolicy.policy.windows : undefined;
const layoutKeeper = new WindowLayoutKeeper(layoutFile, Boolean(pinnedWindows), (error) =>
  logger.warn({ file: layoutFile }, `The window layout could not be saved to ${layoutFile}: ${error.message}. Check that the folder is writable; the windows will open in the default layout next time.`),
);

function startService(): void {
  service = utilityProcess.fork(path.join(distDir, 'host', 'service.mjs'), ['--profile', profileDir, '--credentials-from-main', ...(noDemo ? ['--no-demo'] : [])], {
    serviceName: 'Vigie data service',
    env: { ...process.env, VIGIE_APP_ROOT: appRoot, ...sqliteBinding() },
    stdio: 'inherit',
  });
  service.once('spawn', () => {
    backoff.started(Date.now());
    // Before any window: the service starts its feeds once it has their credentials.
    service?.postMessage(feedCredentials());
    for (const win of windows) connectWindow(win);
    connectMain();
  });
  let refusal: ServiceRefusal | null = null;
  service.on('message', (message: unknown) => {
    if (isServiceRefusal(message)) refusal = message;
  });
  service.once('exit', (code) => {
    service = null;
    const next = afterServiceExit({ code, quitting, refusal, profileDir, backoff, now: Date.now() });
    if (next.action === 'restart') {
      // Restart with backoff: windows keep their picture and reconnect when the new service is up.
      logger.error({ code, delay: next.delayMs }, `Vigie data service exited (code ${code}); restarting in ${next.delayMs} ms.`);
      setTimeout(startService, next.delayMs);
    } else if (next.action === 'dialog') {
      logger.fatal({ code, file: refusal?.file ?? null, lastBackup: refusal?.lastBackup?.dir ?? null }, `Vigie data service refused the database (code ${code}); not restarting it.`);
      void showRefusal(next);
    }
  });
}

/** The refused database, named with its last backup and restore command; then Vigie closes. */
async function showRefusal(next: Extract<ReturnType<typeof afterServiceExit>, { action: 'dialog' }>): Promise<void> {
  await app.whenReady();
  const buttons = next.restoreCommand ? ['Copier la commande et quitter / Copy the command and quit', 'Quitter / Quit'] : ['Quitter / Quit'];
  const { response } = await dialog.showMessageBox({ type: 'error', title: next.title, message: next.message, detail: next.detail, buttons, defaultId: 0, noLink: true });
  if (next.restoreCommand && response === 0) clipboard.writeText(next.restoreCommand);
  app.quit();
}

/**
 * safeStorage works only here, in Electron's main process: the feed credentials are decrypted
 * from the OS keychain and handed to the data service over its port (credentialVault.ts).
 * Linux's "basic_text" backend is a hard-coded key, no protection: the 0600 file is used instead.
 */
const keychain: Cipher = {
  available: () => safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (encrypted) => safeStorage.decryptString(encrypted),
};

function feedCredentials(): ReturnType<typeof credentialsHandover> {
  try {
    return credentialsHandover(profileDir, keychain);
  } catch (error) {
    return { type: 'credentials', storage: 'file', note: `the OS keychain failed (${(error as Error).message}); the 0600 file is used` };
  }
}

/** In a development checkout, the SQLite addon built for Electron by `npm run setup`; packaged apps rebuild in place. */
function sqliteBinding(): Record<string, string> {
  const file = path.join(appRoot, 'native', 'electron', 'better_sqlite3.node');
  return !app.isPackaged && fs.existsSync(file) ? { VIGIE_SQLITE_BINDING: file } : {};
}

/** Gives a window a fresh port to the service (on load, and after every service restart). */
function connectWindow(win: BrowserWindow): void {
  if (!service || win.isDestroyed()) return;
  const { port1, port2 } = new MessageChannelMain();
  service.postMessage({ type: 'connect', windowId: win.id }, [port1]);
  win.webContents.postMessage('vigie:port', null, [port2]);
}

/** Main's own connection to the service: settings for updates, active incidents before a restart. */
let mainClient: VigieClient | null = null;
const mainListeners: ((m: WireMessage) => void)[] = [];
const mainStates: ((s: ConnectionState) => void)[] = [];
let mainPort: Electron.MessagePortMain | null = null;
function connectMain(): void {
  if (!service) return;
  const { port1, port2 } = new MessageChannelMain();
  service.postMessage({ type: 'connect', windowId: 0 }, [port1]);
  mainPort?.close();
  mainPort = port2;
  port2.on('message', (e) => mainListeners.forEach((l) => l(e.data as WireMessage)));
  port2.start();
  mainStates.forEach((l) => l('open'));
  mainClient ??= createClient({
    send: (m) => mainPort?.postMessage(m),
    onMessage: (l) => mainListeners.push(l),
    onState: (l) => mainStates.push(l),
  });
}

async function activeIncidents(): Promise<number> {
  const open = await mainClient!.call('incidents.list', { statuses: ['new', 'acknowledged', 'dispatched', 'on_scene'], limit: 50_000 });
  return open.filter((i) => i.priority <= 2).length;
}

let quitting = false;
app.on('before-quit', () => {
  quitting = true;
  layoutKeeper.saveAndFreeze();
  service?.kill();
});

void app.whenReady().then(() => {
  hardenSessions();
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appFile(rendererDir, request.url);
    if (!file) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    if (file.endsWith('.mjs') || file.endsWith('.js')) headers.set('content-type', 'text/javascript');
    return new Response(response.body, { status: response.status, headers });
  });
  ipcMain.on('vigie:hello', (event) => {
    if (!isTrustedSender(event.senderFrame)) return;
    const win = BrowserWindow.fromWebContents(event.sender);
    if (win) connectWindow(win);
  });
  startService();
  openStartupWindows();
  layoutKeeper.watchDisplays();
  // Updates follow the effective settings (machine policy first); off unless IT turns them on.
  setTimeout(async () => {
    try {
      const { values } = await mainClient!.call('settings.get');
      setupUpdates({ settings: values, isPackaged: app.isPackaged, window: () => [...windows][0] ?? null, activeIncidents });
    } catch (error) {
      logger.warn({ err: error }, `Automatic updates not set up: ${(error as Error).message}`);
    }
  }, 10_000);
});

/** The windows open at the last quit, each on its monitor; or the layout the machine policy pins. */
function openStartupWindows(): void {
  for (const { kind, placement } of startupLayout(layoutFile, pinnedWindows, (message) => logger.warn(message))) {
    openWindow(kind === 'main' ? undefined : kind, placement);
  }
}

/**
 * Opens a window and tracks it. Its page may open exactly one kind of new window: a pop-out panel
 * of our own page; every other window.open stays denied (security.ts).
 */
function openWindow(panel?: PopOutPanel, placement?: Placement): void {
  const win = createMainWindow(distDir, panel, placement);
  windows.add(win);
  layoutKeeper.track(win, panel ?? 'main');
  win.on('closed', () => windows.delete(win));
  win.webContents.setWindowOpenHandler(({ url }) => {
    const match = url.startsWith(`${APP_ORIGIN}/index.html?panel=`) ? /^\?panel=([a-z]+)$/.exec(url.slice(`${APP_ORIGIN}/index.html`.length)) : null;
    const wanted = POP_OUT_PANELS.find((p) => p === match?.[1]);
    if (wanted) openWindow(wanted);
    return { action: 'deny' };
  });
}

app.on('window-all-closed', () => app.quit());
