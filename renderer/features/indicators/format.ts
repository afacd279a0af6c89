import type { IndicatorAlert } from '../../../common/domain/indicator';
import type { Translate } from '../../i18n/index';
import type { MessageKey } from '../../i18n/en';

export function usualText(t: Translate, a: Pick<IndicatorAlert, 'count' | 'usual'>): string {
  return a.usual === null ? t('indicators.countNoUsual', { count: a.count }) : t('indicators.countVsUsual', { count: a.count, usual: a.usual.toFixed(1) });
}

/** "During OM – PSG (Match, 60000 expected); threshold × 2": the planned events an alert was raised during. */
export function plannedText(t: Translate, a: Pick<IndicatorAlert, 'planned' | 'thresholdFactor'>): string | null {
  if (!a.planned?.length) return null;
  const events = a.planned.map((p) => {
    const kind = t(`calendar.kind.${p.kind}` as MessageKey);
    return p.attendance !== undefined ? t('indicators.plannedOneWith', { title: p.title, kind, n: p.attendance }) : t('indicators.plannedOne', { title: p.title, kind });
  });
  const during = t('indicators.during', { events: events.join(', ') });
  return a.thresholdFactor && a.thresholdFactor > 1 ? `${during}; ${t('indicators.thresholdRaised', { f: a.thresholdFactor })}` : during;
}
