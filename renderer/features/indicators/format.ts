import type { IndicatorAlert } from '../../../common/domain/indicator';
import type { Translate } from '../../i18n/index';

export function usualText(t: Translate, a: Pick<IndicatorAlert, 'count' | 'usual'>): string {
  return a.usual === null ? t('indicators.countNoUsual', { count: a.count }) : t('indicators.countVsUsual', { count: a.count, usual: a.usual.toFixed(1) });
}
