import { useEffect, useRef, useState, type FormEvent } from 'react';
import './calendar.css';
import { PLANNED_KINDS, type Clash, type PlannedKind } from '../../../common/domain/plannedEvent';
import { useCan, useClient } from '../../app/ClientContext';
import { formatTime, useLocaleStore, useT } from '../../i18n/index';
import { useCalendar } from '../../stores/calendar';

/** Top-bar button (W): the coming week's planned events and their clashes. */
export function CalendarButton() {
  const t = useT();
  const clashes = useCalendar((s) => s.clashes.length);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="topbar-button" data-shortcut="shift+w" title={`${t('calendar.title')} (Shift+W)`} aria-label={t('calendar.buttonLabel', { n: clashes })} onClick={() => setOpen(true)}>
        {t('calendar.button')}
        {clashes > 0 && <span className="calendar-clash-badge"> ⚠ {clashes}</span>}
      </button>
      {open && <CalendarDialog onClose={() => setOpen(false)} />}
    </>
  );
}

export function clashReason(t: ReturnType<typeof useT>, c: Clash): string {
  return c.reason === 'works' ? t('calendar.reason.works', { m: c.distanceM }) : t('calendar.reason.nearby', { m: c.distanceM });
}

const FORMATS: Record<string, 'ics' | 'csv' | 'geojson'> = { ics: 'ics', ical: 'ics', csv: 'csv', geojson: 'geojson', json: 'geojson' };

function CalendarDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const client = useClient();
  const canEdit = useCan('calendar.save');
  const events = useCalendar((s) => s.events);
  const clashes = useCalendar((s) => s.clashes);
  const ref = useRef<HTMLDialogElement>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const when = (start: number, end: number) => `${formatTime(locale, start)} → ${formatTime(locale, end)}`;

  const importFile = async (file: File) => {
    const format = FORMATS[file.name.split('.').pop()?.toLowerCase() ?? ''];
    if (!format) return setMessage({ ok: false, text: t('calendar.badFormat', { name: file.name }) });
    try {
      const res = await client.call('calendar.import', { format, body: await file.text() });
      setMessage({ ok: res.refused.length === 0, text: [t('calendar.imported', { n: res.stored, refused: res.refused.length }), ...res.refused.map((r) => r.reason)].join(' ') });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const get = (k: string) => String(form.get(k) ?? '');
    try {
      await client.call('calendar.save', {
        fields: {
          title: get('title'),
          kind: get('kind') as PlannedKind,
          start: new Date(get('start')).getTime(),
          end: new Date(get('end')).getTime(),
          ...(get('attendance') ? { attendance: Number(get('attendance')) } : {}),
          place: { type: 'Point', coordinates: [Number(get('lon')), Number(get('lat'))] },
        },
      });
      setMessage({ ok: true, text: t('calendar.added', { title: get('title') }) });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <dialog ref={ref} className="dialog calendar-dialog" aria-labelledby="calendar-heading" onClose={onClose}>
      <h2 id="calendar-heading">{t('calendar.title')}</h2>
      <section aria-labelledby="clashes-heading">
        <h3 id="clashes-heading">{t('calendar.clashes', { n: clashes.length })}</h3>
        {clashes.length === 0 ? (
          <p className="muted">{t('calendar.noClash')}</p>
        ) : (
          <ul className="clash-list">
            {clashes.map((c) => (
              <li key={`${c.a.id}|${c.b.id}`}>
                <strong>{c.a.title}</strong> × <strong>{c.b.title}</strong>
                <div className="muted">
                  {when(c.from, c.to)} · {clashReason(t, c)}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="planned-heading">
        <h3 id="planned-heading">{t('calendar.events', { n: events.length })}</h3>
        <ul className="planned-list">
          {events.map((e) => (
            <li key={e.id}>
              <span className={`kind ${e.kind}`}>{t(`calendar.kind.${e.kind}`)}</span> <strong>{e.title}</strong>
              {e.attendance !== undefined && <span className="muted"> · {t('calendar.attendance', { n: e.attendance })}</span>}
              <div className="muted">
                {when(e.start, e.end)}
                {e.location ? ` · ${e.location}` : ''}
              </div>
              {canEdit && (
                <button type="button" className="link" onClick={() => void client.call('calendar.delete', { id: e.id }).catch((err: Error) => setMessage({ ok: false, text: err.message }))}>
                  {t('calendar.remove', { title: e.title })}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      {canEdit && (
        <section aria-labelledby="calendar-add-heading" className="calendar-edit">
          <h3 id="calendar-add-heading">{t('calendar.addTitle')}</h3>
          <label>
            {t('calendar.importFile')}
            <input type="file" accept=".ics,.ical,.csv,.geojson,.json" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />
          </label>
          <form onSubmit={(e) => void add(e)} aria-label={t('calendar.addTitle')}>
            <label>
              {t('calendar.field.title')} <input name="title" required />
            </label>
            <label>
              {t('calendar.field.kind')}{' '}
              <select name="kind" defaultValue="public_event">
                {PLANNED_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`calendar.kind.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('calendar.field.start')} <input name="start" type="datetime-local" required />
            </label>
            <label>
              {t('calendar.field.end')} <input name="end" type="datetime-local" required />
            </label>
            <label>
              {t('calendar.field.lat')} <input name="lat" type="number" step="any" required />
            </label>
            <label>
              {t('calendar.field.lon')} <input name="lon" type="number" step="any" required />
            </label>
            <label>
              {t('calendar.field.attendance')} <input name="attendance" type="number" min={0} />
            </label>
            <button type="submit">{t('calendar.add')}</button>
          </form>
        </section>
      )}
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? '' : 'error-text'}>
          {message.text}
        </p>
      )}
      <form method="dialog">
        <button type="submit">{t('indicators.closeSheet')}</button>
      </form>
    </dialog>
  );
}
