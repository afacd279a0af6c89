import { useId } from 'react';
import type { IndicatorAlert } from '../../../common/domain/indicator';
import { formatTime, useLocaleStore, useT } from '../../i18n/index';
import { Markdown } from './markdown';
import { plannedText, usualText } from './format';

/**
 * The reflex sheet (fiche réflexe) of an alert, in the side panel of the alarm (or of the tray):
 * never a modal, so a burst of alerts cannot stack dialogs or take the focus from what the
 * supervisor is typing.
 */
export function ReflexSheet({ alert, onAcknowledge, onClose }: { alert: IndicatorAlert; onAcknowledge: (() => void) | null; onClose: (() => void) | null }) {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const heading = useId();
  return (
    <section className="reflex-sheet" role="region" aria-labelledby={heading}>
      <h3 id={heading}>{t('indicators.sheetTitle', { label: alert.label, district: alert.district })}</h3>
      <p className="muted">
        <time className="mono">{formatTime(locale, alert.t)}</time> · {usualText(t, alert)}
      </p>
      {plannedText(t, alert) && <p className="planned">{plannedText(t, alert)}</p>}
      {alert.sheet.trim() ? <Markdown source={alert.sheet} /> : <p className="muted">{t('indicators.noSheet')}</p>}
      <div className="row">
        {onAcknowledge && (
          <button type="button" onClick={onAcknowledge}>
            {t('indicators.acknowledge')}
          </button>
        )}
        {onClose && (
          <button type="button" onClick={onClose}>
            {t('indicators.closeSheet')}
          </button>
        )}
      </div>
    </section>
  );
}
