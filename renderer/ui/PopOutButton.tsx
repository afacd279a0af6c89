import { useT } from '../i18n/index';
import { currentPanel, popOut, type Panel } from '../app/panels';

/** ⧉ in a panel's header: the panel in its own window, for a second screen. Hidden in a popped-out window. */
export function PopOutButton({ panel, onPopped }: { panel: Panel; onPopped?: () => void }) {
  const t = useT();
  if (currentPanel() !== null) return null;
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={t('panels.popOut', { panel: t(`panels.${panel}`) })}
      title={t('panels.popOut', { panel: t(`panels.${panel}`) })}
      onClick={() => {
        popOut(panel);
        onPopped?.();
      }}
    >
      ↗
    </button>
  );
}
