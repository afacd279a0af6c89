import { useEffect, useRef } from 'react';
import type { SyncConflict } from '../../../common/domain/sync';
import { useClient } from '../../app/ClientContext';
import { useDialogState } from '../../app/useDialogState';
import { useFormat, useT } from '../../i18n/index';
import type { MessageKey } from '../../i18n/en';
import { useSync } from '../../stores/sync';
import './sync.css';

/** One empty list, so that the selector's answer is stable while there is no status. */
const NO_CONFLICTS: SyncConflict[] = [];

/** What an action was, in the operator's words. */
function actionLabel(t: ReturnType<typeof useT>, method: string): string {
  const key = `sync.method.${method}` as MessageKey;
  const text = t(key);
  return text === key ? method : text;
}

/** Why the hub refused an action, in the screen's language (the hub's English sentence for anything else). */
export function conflictText(t: ReturnType<typeof useT>, c: SyncConflict): string {
  const d = c.details;
  switch (c.code) {
    case 'already_closed':
      return t('sync.conflict.already_closed', { title: d.title ?? c.target, by: d.by ?? '?' });
    case 'unit_taken':
      return t('sync.conflict.unit_taken', { unit: d.callsign ?? d.unitId ?? '?', title: d.title ?? d.incidentId ?? '?', by: d.by ?? '?' });
    case 'annotation_edited':
      return t('sync.conflict.annotation_edited', { label: d.label ?? c.target, by: d.by ?? '?' });
    default:
      return t('sync.conflict.refused', { message: c.message });
  }
}

/** Top bar: the hub link and how many actions wait for it (Shift+Q opens the list). Absent on a single desk. */
export function SyncButton() {
  const t = useT();
  const status = useSync((s) => s.status);
  const dialog = useDialogState();
  if (!status || status.mode === 'standalone') return null;
  const pending = status.pending.length;
  return (
    <>
      <button
        type="button"
        className={`topbar-button sync-button ${status.mode}`}
        data-shortcut="shift+q"
        title={`${t('sync.title')} (Shift+Q)`}
        aria-label={t('sync.buttonLabel', { state: t(`sync.mode.${status.mode}`), n: pending })}
        onClick={dialog.open}
      >
        <span className="dot" aria-hidden="true" />
        {t(`sync.mode.${status.mode}`)}
        {pending > 0 && (
          <span className="sync-pending-badge" data-testid="sync-pending">
            {t('sync.pendingBadge', { n: pending })}
          </span>
        )}
      </button>
      {dialog.isOpen && <SyncDialog key={dialog.key} onClose={dialog.onClose} />}
    </>
  );
}

/** Every conflict the hub decided against this seat, until its author dismisses it (Shift+P: the latest). */
export function SyncConflicts() {
  const t = useT();
  const client = useClient();
  const conflicts = useSync((s) => s.status?.conflicts ?? NO_CONFLICTS);
  if (conflicts.length === 0) return null;
  return (
    <div className="sync-conflicts" role="alert">
      {conflicts.map((c, i) => (
        <div key={c.uid} className="sync-conflict">
          <strong>{t('sync.conflict.title', { action: actionLabel(t, c.method) })}</strong> {conflictText(t, c)}
          <button type="button" className="sync-dismiss" {...(i === 0 ? { 'data-shortcut': 'shift+p' } : {})} title={i === 0 ? `${t('sync.dismiss')} (Shift+P)` : t('sync.dismiss')} onClick={() => void client.call('sync.dismiss', { uid: c.uid })}>
            {t('sync.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}

function SyncDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const format = useFormat();
  const status = useSync((s) => s.status);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  if (!status) return null;
  const time = (ms: number) => format.date(ms, 'time');
  return (
    <dialog ref={ref} className="dialog sync-dialog" aria-labelledby="sync-heading" onClose={onClose}>
      <h2 id="sync-heading">{t('sync.title')}</h2>
      <p>
        {t('sync.workstation', { id: status.workstation ?? '?' })} · {t(`sync.mode.${status.mode}`)} · {status.hub ?? ''}
      </p>
      {status.lastError && <p className="muted">{t('sync.lastError', { error: status.lastError })}</p>}
      <h3>{t('sync.pendingTitle', { n: status.pending.length })}</h3>
      {status.pending.length === 0 ? (
        <p className="muted">{t('sync.nonePending')}</p>
      ) : (
        <ol className="sync-list">
          {status.pending.map((p) => (
            <li key={p.uid}>
              <span className="mono">{time(p.t)}</span> {actionLabel(t, p.method)} <span className="muted">{p.target}</span>
            </li>
          ))}
        </ol>
      )}
      <h3>{t('sync.conflictsTitle', { n: status.conflicts.length })}</h3>
      {status.conflicts.length === 0 ? (
        <p className="muted">{t('sync.noConflicts')}</p>
      ) : (
        <ul className="sync-list">
          {status.conflicts.map((c) => (
            <li key={c.uid}>
              <span className="mono">{time(c.t)}</span> {t('sync.listItem', { action: actionLabel(t, c.method), text: conflictText(t, c) })}
            </li>
          ))}
        </ul>
      )}
      <form method="dialog">
        <button type="submit">OK</button>
      </form>
    </dialog>
  );
}
