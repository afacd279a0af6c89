import type { calendarMethods } from '../../../common/methods/calendar';
import type { CalendarService } from '../calendar/calendar';
import type { DomainHandlers } from './handlers';

const DAY = 86_400_000;

export function calendarHandlers({ calendar: c }: { calendar: Pick<CalendarService, 'list' | 'clashes' | 'import' | 'save' | 'delete'> }): DomainHandlers<typeof calendarMethods> {
  return {
    'calendar.list': ({ from, days }) => {
      const start = from ?? Date.now();
      return c.list(start, start + days * DAY);
    },
    'calendar.clashes': ({ days }) => c.clashes(Date.now(), days),
    'calendar.import': ({ format, body }, ctx) => c.import(ctx, format, body),
    'calendar.save': ({ id, fields }, ctx) => c.save(ctx, id, fields),
    'calendar.delete': ({ id }, ctx) => {
      c.delete(ctx, id);
      return { ok: true as const };
    },
  };
}
