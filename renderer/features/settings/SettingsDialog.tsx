import { useEffect, useRef, useState } from 'react';
import type { EffectiveSettings, SettingKey, Settings } from '../../../common/domain/settings';
import type { VigieClient } from '../../../common/rpc';
import { useLocaleStore, useT } from '../../i18n/index';
import { useSession } from '../../stores/session';

/** The person's own settings; those the machine policy sets or locks are shown, disabled, with why. */
export function SettingsDialog({ client, onClose }: { client: VigieClient; onClose: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [effective, setEffective] = useState<EffectiveSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setLocale = useLocaleStore((s) => s.actions.setLocale);
  // The screen follows the settings at once (theme, trail length), not at the next start.
  const setSettings = useSession((s) => s.actions.setSettings);

  useEffect(() => {
    ref.current?.showModal();
    client.call('settings.get').then(setEffective, (e: Error) => setError(e.message));
  }, [client]);

  const change = async <K extends SettingKey>(key: K, value: Settings[K]) => {
    try {
      const next = await client.call('settings.set', { key, value } as never);
      setEffective(next);
      setSettings(next.values);
      if (key === 'language' && (value === 'fr' || value === 'en')) setLocale(value);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const locked = (key: SettingKey) => effective?.locked.includes(key) ?? true;
  const lockNote = (key: SettingKey) => (effective && locked(key) ? <span className="muted lock-note">— {t('settings.locked')}</span> : null);

  return (
    <dialog ref={ref} className="dialog settings" aria-labelledby="settings-heading" onClose={onClose}>
      <h2 id="settings-heading">{t('settings.title')}</h2>
      {effective?.policy.status === 'applied' && <p className="muted">{t('settings.policyApplied', { path: effective.policy.path })}</p>}
      {error && <p role="alert" className="error-text">{error}</p>}
      {effective && (
        <div className="settings-grid">
          <label htmlFor="setting-language">{t('settings.language')}</label>
          <div>
            <select id="setting-language" value={effective.values.language} disabled={locked('language')} onChange={(e) => void change('language', e.target.value as Settings['language'])}>
              <option value="auto">{t('settings.language.auto')}</option>
              <option value="fr">Français</option>
              <option value="en">English</option>
            </select>
            {lockNote('language')}
          </div>
          <label htmlFor="setting-trail">{t('settings.trailMinutes')}</label>
          <div>
            <input id="setting-trail" type="number" min={0} max={240} value={effective.values.trailMinutes} disabled={locked('trailMinutes')} onChange={(e) => void change('trailMinutes', Number(e.target.value))} />
            {lockNote('trailMinutes')}
          </div>
          <label htmlFor="setting-theme">{t('settings.theme')}</label>
          <div>
            <select id="setting-theme" value={effective.values.theme} disabled={locked('theme')} onChange={(e) => void change('theme', e.target.value as Settings['theme'])}>
              <option value="dark">{t('settings.theme.dark')}</option>
              <option value="high-contrast">{t('settings.theme.highContrast')}</option>
            </select>
            {lockNote('theme')}
          </div>
          <label htmlFor="setting-basemap">{t('settings.basemap')}</label>
          <div>
            {/* A choice among the basemaps IT deployed, by name: never a path or a URL typed here. */}
            {effective.basemaps.includes(effective.values.basemap) ? (
              <select id="setting-basemap" value={effective.values.basemap} disabled={locked('basemap')} onChange={(e) => void change('basemap', e.target.value)}>
                {effective.basemaps.map((name) => (
                  <option key={name} value={name}>
                    {name === 'builtin' ? t('settings.basemap.builtin') : name}
                  </option>
                ))}
              </select>
            ) : (
              <input id="setting-basemap" type="text" value={effective.values.basemap} disabled readOnly />
            )}
            {lockNote('basemap')}
          </div>
          <label htmlFor="setting-updates">{t('settings.updates')}</label>
          <div>
            <input id="setting-updates" type="checkbox" checked={effective.values.updates.enabled} disabled={locked('updates')} onChange={(e) => void change('updates', { ...effective.values.updates, enabled: e.target.checked })} />
            {lockNote('updates')}
          </div>
        </div>
      )}
      <form method="dialog">
        <button type="submit">{t('settings.close')}</button>
      </form>
    </dialog>
  );
}
