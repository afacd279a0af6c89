import { useEffect } from 'react';
import { useLocaleStore } from '../i18n/index';
import { incidentsStore, visibleIncidents } from '../stores/incidents';
import { mapSelectionStore } from '../stores/mapSelection';
import { sessionStore } from '../stores/session';
import { ACTION_KEYS, announceReadOnlyKey, replayReadOnlyNow } from '../features/replay/readOnly';

/** Supervisor keyboard shortcuts. Ignored while typing in a field, except Esc. */
export function useShortcuts(openHelp: () => void, openSettings: () => void, openFeeds?: () => void) {
  const store = incidentsStore.useStoreApi();
  const features = mapSelectionStore.useStoreApi();
  const toggleLocale = useLocaleStore((s) => s.actions.toggle);
  const session = sessionStore.useStoreApi();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement;
      const typing = target.matches('input, textarea, select, [contenteditable="true"]');
      const s = store.getState();
      if (event.key === 'Escape') {
        if (typing) (target as HTMLInputElement).blur();
        // Esc in a dialog closes the dialog only; the incident stays selected behind it.
        else if (!document.querySelector('dialog[open]')) {
          s.actions.select(null);
          features.getState().actions.select(null);
        }
        return;
      }
      if (typing || document.querySelector('dialog[open]')) return;
      const move = (step: number) => {
        const list = visibleIncidents(s);
        if (list.length === 0) return;
        const index = list.findIndex((i) => i.id === s.selectedId);
        const next = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + step));
        s.actions.select(list[next]!.id);
        event.preventDefault();
      };
      switch (event.key) {
        case 'j':
        case 'ArrowDown':
          move(1);
          break;
        case 'k':
        case 'ArrowUp':
          move(-1);
          break;
        case '/':
          event.preventDefault();
          // The search box finds places, units and incidents (features/search); the list's filter is a Tab away.
          document.getElementById('place-search')?.focus();
          break;
        case 'o':
          s.actions.setOpenOnly(!s.openOnly);
          break;
        case 'l':
          toggleLocale();
          break;
        case '?':
          openHelp();
          break;
        case ',':
          openSettings();
          break;
        case 'f':
          openFeeds?.();
          break;
        default: {
          // Action keys belong to the buttons that carry them (data-shortcut): a button the role
          // cannot use, or that the incident's state hides, is absent, so its key does nothing.
          // Shift+letter is its own key ("shift+h"): the plain letters are taken by the busiest actions.
          const key = event.shiftKey && /^[A-Z]$/.test(event.key) ? `shift+${event.key.toLowerCase()}` : event.key;
          const button = /^([a-z0-9]|shift\+[a-z])$/.test(key) ? document.querySelector<HTMLButtonElement>(`[data-shortcut="${key}"]:not(:disabled)`) : null;
          if (button) {
            event.preventDefault();
            button.click();
          } else if (ACTION_KEYS.has(key) && replayReadOnlyNow(Boolean(session.getState().session?.training))) {
            // Replay hides the actions: the key says why rather than doing nothing.
            event.preventDefault();
            announceReadOnlyKey(key);
          }
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, features, session, toggleLocale, openHelp, openSettings, openFeeds]);
}
