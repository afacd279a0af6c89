import { dialog, type BrowserWindow } from 'electron';
import { autoUpdater } from 'electron-updater';
import type { Settings } from '../../common/domain/settings';
import { installDecision, updateCheck } from './updatePolicy';
import { log } from '../core/log';

const logger = log('updates');

/**
 * electron-updater from the URL IT configures. It verifies the SHA-512 of the download against the
 * release metadata and, on Windows and macOS, the code signature, before anything is installed.
 * Entirely off unless the policy or settings turn it on.
 */
export function setupUpdates(opts: { settings: Settings; isPackaged: boolean; window: () => BrowserWindow | null; activeIncidents: () => Promise<number> }): void {
  const decision = updateCheck(opts.settings, opts.isPackaged);
  if (decision.action !== 'check') {
    logger.info({ action: decision.action }, `Automatic updates: ${decision.action === 'disabled' ? decision.why : decision.action}.`);
    return;
  }
  autoUpdater.setFeedURL({ provider: 'generic', url: decision.url });
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = false; // installing is a decision, below
  autoUpdater.on('update-downloaded', async (info) => {
    const active = await opts.activeIncidents();
    let next = installDecision(active, null);
    if (next.action === 'ask') {
      const win = opts.window();
      const options = {
        type: 'question' as const,
        buttons: ['Later / Plus tard', 'Restart now / Redémarrer'],
        defaultId: 0,
        cancelId: 0,
        title: 'Vigie',
        message: `Vigie ${info.version} is ready. ${active} incidents are active: restart now?\nVigie ${info.version} est prête. ${active} incidents sont en cours : redémarrer maintenant ?`,
      };
      const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      next = installDecision(active, response === 1);
    }
    if (next.action === 'install') autoUpdater.quitAndInstall();
  });
  autoUpdater.on('error', (error) => logger.error({ err: error }, `Automatic update failed: ${error.message}`));
  void autoUpdater.checkForUpdates();
}
