import { useEffect, useRef } from 'react';
import { useT } from '../i18n/index';
import type { MessageKey } from '../i18n/en';

export const SHORTCUTS: { keys: string; label: MessageKey }[] = [
  { keys: 'J / ↓', label: 'shortcuts.next' },
  { keys: 'K / ↑', label: 'shortcuts.previous' },
  { keys: 'Esc', label: 'shortcuts.close' },
  { keys: '/', label: 'shortcuts.search' },
  { keys: 'O', label: 'shortcuts.openOnly' },
  { keys: 'L', label: 'shortcuts.language' },
  { keys: '?', label: 'shortcuts.help' },
  { keys: 'F', label: 'shortcuts.feeds' },
  { keys: 'J / K', label: 'shortcuts.feedsMove' },
  { keys: 'P', label: 'shortcuts.feedsPause' },
  { keys: 'Q', label: 'shortcuts.feedsQuarantine' },
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-heading" onClose={onClose}>
      <h2 id="shortcuts-heading">{t('shortcuts.title')}</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.label}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{t(s.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit">OK</button>
      </form>
    </dialog>
  );
}
