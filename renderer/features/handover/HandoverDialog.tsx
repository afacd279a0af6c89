import { useEffect, useRef, useState } from 'react';
import type { Handover } from '../../../common/methods/handover';
import { useCan, useClient } from '../../app/ClientContext';
import { useFormat, useT } from '../../i18n/index';
import { useSession } from '../../stores/session';
import { PRIORITY_SHAPES } from '../../ui/priorityShape';
import './handover.css';

/** The top bar's button to the shift handover log (Shift+L), for the roles that keep it. */
export function HandoverButton() {
  const t = useT();
  const can = useCan('handover.current');
  const [open, setOpen] = useState(false);
  if (!can) return null;
  return (
    <>
      <button type="button" className="topbar-button" data-shortcut="shift+l" title={`${t('handover.title')} (Shift+L)`} onClick={() => setOpen(true)}>
        {t('handover.button')}
      </button>
      {open && <HandoverDialog onClose={() => setOpen(false)} />}
    </>
  );
}

/**
 * The shift handover log: entries written during the shift, the summary the data service
 * computes, and the two signatures, each made by the person of the session that signs. Printable
 * (Print: the browser's print of this sheet alone, handover.css).
 */
export function HandoverDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const format = useFormat();
  const client = useClient();
  const me = useSession((s) => s.session?.user);
  const ref = useRef<HTMLDialogElement>(null);
  const [handover, setHandover] = useState<Handover | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    ref.current?.showModal();
    client.call('handover.current').then(({ current }) => setHandover(current), (e: Error) => setError(e.message));
  }, [client]);
  const act = async (run: () => Promise<Handover>) => {
    try {
      setHandover(await run());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const add = () => void act(() => client.call('handover.addEntry', { text })).then(() => setText(''));
  const sign = () => handover && void act(() => client.call('handover.sign', { id: handover.id }));
  const s = handover?.summary;
  const signLabel = !handover?.outgoing ? t('handover.signOutgoing') : t('handover.signIncoming');
  const signed = Boolean(handover?.incoming);
  return (
    <dialog ref={ref} className="dialog handover-dialog" aria-labelledby="handover-heading" onClose={onClose}>
      <div className="handover-print">
        <h2 id="handover-heading">{t('handover.title')}</h2>
        {handover && (
          <p className="muted">
            {t('handover.shift', { start: format.date(handover.startedAt, 'dateTime'), by: handover.startedBy })}
          </p>
        )}
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        {s && (
          <section aria-labelledby="handover-summary-heading">
            <h3 id="handover-summary-heading">
              {handover?.outgoing ? t('handover.summarySigned', { time: format.date(s.at, 'time') }) : t('handover.summaryLive', { time: format.date(s.at, 'time') })}
            </h3>
            <table className="handover-summary">
              <tbody>
                <tr>
                  <th scope="row">{t('handover.openIncidents')}</th>
                  <td data-testid="handover-open">
                    {s.openByPriority.map((n, i) => (
                      <span key={i} className={`handover-p p${i + 1}`}>
                        <span aria-hidden="true">{PRIORITY_SHAPES[i + 1]}</span> P{i + 1}: {n}
                      </span>
                    ))}
                  </td>
                </tr>
                <tr>
                  <th scope="row">{t('handover.openAlarms')}</th>
                  <td data-testid="handover-alarms">
                    {s.openAlarms} <span className="muted">({s.alarmsFrom === 'alarm-queue' ? t('handover.alarmsFromQueue') : s.alarmsFrom})</span>
                  </td>
                </tr>
                <tr>
                  <th scope="row">{t('handover.unitsCommitted')}</th>
                  <td data-testid="handover-units">{s.unitsCommitted}</td>
                </tr>
                <tr>
                  <th scope="row">{t('handover.sinceStart')}</th>
                  <td data-testid="handover-since">{t('handover.newAndClosed', { created: s.newIncidents, closed: s.closedIncidents })}</td>
                </tr>
              </tbody>
            </table>
            <h3>{t('handover.notable')}</h3>
            {s.notable.length === 0 ? (
              <p className="muted">{t('handover.noNotable')}</p>
            ) : (
              <ul className="handover-notable">
                {s.notable.map((n, i) => (
                  <li key={i}>
                    <span className="mono">{format.date(n.t, 'time')}</span> {n.priority ? `${PRIORITY_SHAPES[n.priority]} P${n.priority} ` : ''}
                    {t(`handover.kind.${n.kind}`)} · {n.text}
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        {handover && (
          <section aria-labelledby="handover-entries-heading">
            <h3 id="handover-entries-heading">{t('handover.entries')}</h3>
            {handover.entries.length === 0 ? (
              <p className="muted">{t('handover.noEntries')}</p>
            ) : (
              <ol className="handover-entries">
                {handover.entries.map((e) => (
                  <li key={e.id}>
                    <span className="mono">{format.date(e.t, 'time')}</span> <strong>{e.author}</strong> — {e.text}
                  </li>
                ))}
              </ol>
            )}
          </section>
        )}
        {handover && (
          <section aria-labelledby="handover-signatures-heading" className="handover-signatures">
            <h3 id="handover-signatures-heading">{t('handover.signatures')}</h3>
            <p data-testid="handover-outgoing">
              {t('handover.outgoing')}: {handover.outgoing ? t('handover.signedBy', { user: handover.outgoing.user, time: format.date(handover.outgoing.at, 'dateTime') }) : t('handover.notSigned')}
            </p>
            <p data-testid="handover-incoming">
              {t('handover.incoming')}: {handover.incoming ? t('handover.signedBy', { user: handover.incoming.user, time: format.date(handover.incoming.at, 'dateTime') }) : t('handover.notSigned')}
            </p>
          </section>
        )}
      </div>
      {handover && !handover.outgoing && (
        <div className="handover-write no-print">
          <label htmlFor="handover-text">{t('handover.entryLabel')}</label>
          <textarea id="handover-text" rows={3} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
          <button type="button" disabled={text.trim() === ''} onClick={add}>
            {t('handover.add')}
          </button>
        </div>
      )}
      {handover?.outgoing && !signed && handover.outgoing.user === me && <p className="muted no-print">{t('handover.waitIncoming')}</p>}
      <div className="dialog-actions no-print">
        {handover && !signed && (
          <button type="button" onClick={sign}>
            {signLabel} ({me})
          </button>
        )}
        <button type="button" onClick={() => window.print()}>
          {t('handover.print')}
        </button>
        <form method="dialog">
          <button type="submit">OK</button>
        </form>
      </div>
    </dialog>
  );
}
