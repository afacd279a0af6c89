import { useEffect, useRef } from 'react';
import type { IndicatorAlert } from '../../../common/domain/indicator';
import { formatTime, useLocaleStore, useT } from '../../i18n/index';
import { Markdown } from './markdown';
import { plannedText, usualText } from './format';

/** The reflex sheet (fiche réflexe) of an alert, opened with it. */
export function ReflexSheet({ alert, onAcknowledge, onClose }: { alert: IndicatorAlert; onAcknowledge: (() => void) | null; onClose: () => void }) {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!ref.current?.open) ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog reflex-sheet" aria-labelledby="reflex-sheet-heading" onClose={onClose}>
      <h2 id="reflex-sheet-heading">{t('indicators.sheetTitle', { label: alert.label, district: alert.district })}</h2>
      <p className="muted">
        <time className="mono">{formatTime(locale, alert.t)}</time> · {usualText(t, alert)}
      </p>
      {plannedText(t, alert) && <p className="planned">{plannedText(t, alert)}</p>}
      {alert.sheet.trim() ? <Markdown source={alert.sheet} /> : <p className="muted">{t('indicators.noSheet')}</p>}
      <form method="dialog" className="row">
        {onAcknowledge && (
          <button type="button" onClick={onAcknowledge}>
            {t('indicators.acknowledge')}
          </button>
        )}
        <button type="submit">{t('indicators.closeSheet')}</button>
      </form>
    </dialog>
  );
}
