import { useEffect } from 'react';
import type { VigieClient } from '../../common/rpc';
import { useT } from '../i18n/index';
import { useSession } from '../stores/session';
import { useClient } from './ClientContext';
import { useShortcuts } from './useShortcuts';

/**
 * The colour scheme, from the person's `theme` setting (saved in the profile): the dark
 * control-room theme or high contrast (theme.css, `html[data-theme]`). Shift+C switches it from
 * any screen; the service keeps it, so it comes back at the next start.
 */
export function useThemeSetting(client: VigieClient): void {
  const theme = useSession((s) => s.settings?.theme ?? 'dark');
  const setSettings = useSession((s) => s.actions.setSettings);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || !event.shiftKey || event.key !== 'C') return;
      const target = event.target as HTMLElement;
      if (target.matches('input, textarea, select, [contenteditable="true"]')) return;
      event.preventDefault();
      void toggleTheme(client, theme).then(setSettings, () => undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client, theme, setSettings]);
}

async function toggleTheme(client: VigieClient, theme: string) {
  const effective = await client.call('settings.set', { key: 'theme', value: theme === 'dark' ? 'high-contrast' : 'dark' });
  return effective.values;
}

/** The top bar's switch between the dark and the high-contrast theme (Shift+C). */
export function ThemeButton() {
  const t = useT();
  const client = useClient();
  const theme = useSession((s) => s.settings?.theme ?? 'dark');
  const setSettings = useSession((s) => s.actions.setSettings);
  const setError = useSession((s) => s.actions.setError);
  return (
    <button
      type="button"
      className="icon-button theme-button"
      aria-pressed={theme === 'high-contrast'}
      aria-label={t('theme.highContrast')}
      title={`${t('theme.highContrast')} (Shift+C)`}
      onClick={() => void toggleTheme(client, theme).then(setSettings, (e: Error) => setError(e.message))}
    >
      ◐
    </button>
  );
}

/** The keys of a screen without the incident desk (auditor, wall): help, language and the buttons' own keys. */
export function RoleScreenKeys({ openHelp }: { openHelp: () => void }) {
  useShortcuts(openHelp, noop);
  return null;
}

function noop() {}
