import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import './calendar.css';
import { PLANNED_KINDS, type Clash, type PlannedKind } from '../../../common/domain/plannedEvent';
import { useCan, useClient } from '../../app/ClientContext';
import { formatTime, useLocaleStore, useT } from '../../i18n/index';
import { BLANK_DRAFT, calendarStore, useCalendar, type CalendarDraft } from '../../stores/calendar';
import { own } from '../../../common/own';

/** Top-bar button (W): the coming week's planned events and their clashes. */
export function CalendarButton() {
  const t = useT();
  const clashes = useCalendar((s) => s.clashes.length);
  const drawing = useCalendar((s) => s.drawing);
  const [open, setOpen] = useState(false);
  // Drawing a polygon closes the dialog (the map needs the clicks); finishing it opens it again.
  const wasDrawing = useRef(false);
  useEffect(() => {
    if (drawing) setOpen(false);
    else if (wasDrawing.current) setOpen(true);
    wasDrawing.current = drawing;
  }, [drawing]);
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
  const { setDraft: keepDraft, startDrawing } = calendarStore.useStoreApi().getState().actions;
  // The form starts from the draft kept while a polygon was drawn, if any.
  const storedDraft = useCalendar((s) => s.draft);
  const [draft, setDraft] = useState<CalendarDraft>(storedDraft ?? BLANK_DRAFT);
  const field = (k: keyof CalendarDraft) => ({ value: draft[k] as string, onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value })) });
  const draw = () => startDrawing({ ...draft, shape: 'polygon' });
  const onKeyDown = (e: KeyboardEvent) => {
    if (canEdit && e.shiftKey && e.key === 'Y') {
      e.preventDefault();
      draw();
    }
  };
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const when = (start: number, end: number) => `${formatTime(locale, start)} → ${formatTime(locale, end)}`;

  const importFile = async (file: File) => {
    const format = own(FORMATS, file.name.split('.').pop()?.toLowerCase() ?? '');
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
    if (draft.shape === 'polygon' && !draft.polygon) return setMessage({ ok: false, text: t('calendar.polygonMissing') });
    try {
      await client.call('calendar.save', {
        fields: {
          title: draft.title,
          kind: draft.kind as PlannedKind,
          start: new Date(draft.start).getTime(),
          end: new Date(draft.end).getTime(),
          ...(draft.attendance ? { attendance: Number(draft.attendance) } : {}),
          place: draft.shape === 'polygon' && draft.polygon ? { type: 'Polygon', coordinates: [draft.polygon] } : { type: 'Point', coordinates: [Number(draft.lon), Number(draft.lat)] },
        },
      });
      setMessage({ ok: true, text: t('calendar.added', { title: draft.title }) });
      setDraft(BLANK_DRAFT);
      keepDraft(null);
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <dialog ref={ref} className="dialog calendar-dialog" aria-labelledby="calendar-heading" onClose={onClose} onKeyDown={onKeyDown}>
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
            <li key={e.id} className={e.cancelled ? 'cancelled' : undefined}>
              <span className={`kind ${e.kind}`}>{t(`calendar.kind.${e.kind}`)}</span> {e.cancelled && <span className="badge-cancelled">{t('calendar.cancelled')}</span>} <strong>{e.title}</strong>
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
              {t('calendar.field.title')} <input name="title" required {...field('title')} />
            </label>
            <label>
              {t('calendar.field.kind')}{' '}
              <select name="kind" {...field('kind')}>
                {PLANNED_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`calendar.kind.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('calendar.field.start')} <input name="start" type="datetime-local" required {...field('start')} />
            </label>
            <label>
              {t('calendar.field.end')} <input name="end" type="datetime-local" required {...field('end')} />
            </label>
            <fieldset className="calendar-shape">
              <legend>{t('calendar.field.place')}</legend>
              <label className="inline">
                <input type="radio" name="shape" value="point" checked={draft.shape === 'point'} onChange={() => setDraft((d) => ({ ...d, shape: 'point' }))} /> {t('calendar.shape.point')}
              </label>
              <label className="inline">
                <input type="radio" name="shape" value="polygon" checked={draft.shape === 'polygon'} onChange={() => setDraft((d) => ({ ...d, shape: 'polygon' }))} /> {t('calendar.shape.polygon')}
              </label>
            </fieldset>
            {draft.shape === 'point' ? (
              <>
                <label>
                  {t('calendar.field.lat')} <input name="lat" type="number" step="any" required {...field('lat')} />
                </label>
                <label>
                  {t('calendar.field.lon')} <input name="lon" type="number" step="any" required {...field('lon')} />
                </label>
              </>
            ) : (
              <div className="calendar-polygon">
                <span className="muted">{draft.polygon ? t('calendar.polygonDrawn', { n: draft.polygon.length - 1 }) : t('calendar.polygonNone')}</span>
                <button type="button" onClick={draw} title={`${t('calendar.drawPolygon')} (Shift+Y)`}>
                  {draft.polygon ? t('calendar.redrawPolygon') : t('calendar.drawPolygon')} <kbd>⇧Y</kbd>
                </button>
              </div>
            )}
            <label>
              {t('calendar.field.attendance')} <input name="attendance" type="number" min={0} {...field('attendance')} />
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
