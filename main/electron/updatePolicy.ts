import type { Settings } from '../../common/domain/settings';

export type UpdateDecision =
  | { action: 'disabled'; why: string }
  | { action: 'check'; url: string }
  | { action: 'install' }
  | { action: 'ask'; activeIncidents: number }
  | { action: 'wait'; why: string };

/** Whether this workstation may look for updates at all. */
export function updateCheck(settings: Settings, isPackaged: boolean): UpdateDecision {
  if (!isPackaged) return { action: 'disabled', why: 'development build' };
  if (!settings.updates.enabled) return { action: 'disabled', why: 'updates are turned off (machine policy or settings)' };
  if (!settings.updates.url) return { action: 'disabled', why: 'no update URL is configured' };
  return { action: 'check', url: settings.updates.url };
}

/**
 * When a downloaded update may restart the app. Never in the middle of active incidents without a
 * person saying yes: a control room restarting on its own during a crisis is worse than an old version.
 */
export function installDecision(activeIncidents: number, consent: boolean | null): UpdateDecision {
  if (activeIncidents === 0) return { action: 'install' };
  if (consent === null) return { action: 'ask', activeIncidents };
  return consent ? { action: 'install' } : { action: 'wait', why: `${activeIncidents} active incidents; the supervisor postponed the update` };
}
