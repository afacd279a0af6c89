import type { Alarm } from '../../../common/domain/alarm';
import type { MessageKey } from '../../i18n/en';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** What a row says beside its priority: the one thing, or the burst ("Incident · Noailles: 5 in a burst"). */
export function alarmTitle(t: T, a: Alarm): string {
  if (a.count <= 1) return a.members[0]?.title ?? a.title;
  const kind = t(`alarms.kind.${a.kind}`);
  return a.district ? t('alarms.group', { kind, district: a.district, n: a.count }) : t('alarms.groupNoDistrict', { kind, n: a.count });
}
