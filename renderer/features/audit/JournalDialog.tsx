import { useCallback, useEffect, useRef, useState } from 'react';
import { toCsv } from '../../../common/csv';
import type { AuditEntry, AuditVerification } from '../../../common/domain/audit';
import { useCan, useClient } from '../../app/ClientContext';
import { formatTime, roleLabel, useLocaleStore, useT } from '../../i18n/index';
import { download } from '../../ui/download';

/** The audit journal for supervisors, auditors and admins: the latest rows and whether the chain holds. */
export function JournalDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog journal-dialog" aria-labelledby="journal-heading" onClose={onClose}>
      <h2 id="journal-heading">{t('journal.title')}</h2>
      <JournalView />
      <form method="dialog">
        <button type="submit">OK</button>
      </form>
    </dialog>
  );
}

/**
 * The journal's rows, the chain check and its anchors; the auditor's exports. In the dialog of a
 * desk, and as the whole screen of an auditor (AuditorScreen).
 */
export function JournalView({ shortcuts = false }: { shortcuts?: boolean }) {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const client = useClient();
  const canExport = useCan('audit.export');
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [check, setCheck] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setCheck(null);
    Promise.all([client.call('audit.list', { limit: 200 }), client.call('audit.verify')]).then(
      ([list, verification]) => {
        setRows(list);
        setCheck(verification);
        setError(null);
      },
      (err: Error) => setError(err.message),
    );
  }, [client]);
  useEffect(load, [load]);
  const exportAs = async (format: 'csv' | 'json') => {
    try {
      const all = await client.call('audit.export');
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'json') download(`vigie-journal-${stamp}.json`, `${JSON.stringify(all, null, 2)}\n`, 'application/json');
      else download(`vigie-journal-${stamp}.csv`, toCsv(['id', 't', 'user', 'role', 'kind', 'action', 'target', 'reason', 'origin', 'hash'], all.map((r) => [r.id, new Date(r.t).toISOString(), r.user, r.role, r.kind, r.action, r.target, r.reason ?? '', r.origin, r.hash])), 'text/csv');
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      {shortcuts || canExport ? (
        <div className="journal-tools">
          {shortcuts && (
            <button type="button" data-shortcut="v" title={`${t('journal.verify')} (V)`} onClick={load}>
              {t('journal.verify')}
            </button>
          )}
          {canExport && (
            <>
              <button type="button" data-shortcut="e" title={`${t('journal.exportCsv')} (E)`} onClick={() => void exportAs('csv')}>
                {t('journal.exportCsv')}
              </button>
              <button type="button" data-shortcut="shift+e" title={`${t('journal.exportJson')} (Shift+E)`} onClick={() => void exportAs('json')}>
                {t('journal.exportJson')}
              </button>
            </>
          )}
        </div>
      ) : null}
      {check && (
        <p role="status" className={check.ok ? 'journal-ok' : 'form-error'}>
          {check.ok ? t('journal.intact', { n: check.rows }) : t('journal.broken', { id: check.firstBroken!.id, problem: check.firstBroken!.problem })}
        </p>
      )}
      {check &&
        (check.anchors ? (
          <p role="status" className={!check.anchors.ok ? 'form-error' : check.anchors.newest ? 'journal-ok' : 'muted'} data-testid="journal-anchors">
            {check.anchors.ok
              ? check.anchors.newest
                ? t('journal.anchored', { n: check.anchors.count, id: check.anchors.newest.id, time: formatTime(locale, check.anchors.newest.t), file: check.anchors.file })
                : t('journal.anchorPending', { file: check.anchors.file })
              : t('journal.anchorBroken', { problem: check.anchors.problem ?? '', file: check.anchors.file })}
          </p>
        ) : (
          // Plainly, not greyed: an intact chain alone does not prove the newest rows are all there.
          <p role="note" className="journal-warning" data-testid="journal-anchors">
            <strong>{t('journal.notAnchoredTitle')}</strong> {t('journal.notAnchored')}
          </p>
        ))}
      {error && <p className="form-error" role="alert">{error}</p>}
      {/* Focusable, so the rows can be scrolled from the keyboard when they overflow. */}
      <div className="journal-scroll" tabIndex={0} role="region" aria-label={t('journal.title')}>
        <table aria-label={t('journal.title')}>
          <thead>
            <tr>
              <th>#</th>
              <th>{t('journal.time')}</th>
              <th>{t('journal.user')}</th>
              <th>{t('journal.action')}</th>
              <th>{t('journal.target')}</th>
              <th>{t('journal.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.kind}>
                <td className="mono muted">{r.id}</td>
                <td className="mono">{formatTime(locale, r.t)}</td>
                <td>
                  {r.user} {!r.user.startsWith('feed:') && <span className="muted">({roleLabel(t, r.role)})</span>}
                </td>
                <td>{r.action}</td>
                <td className="mono">{r.target}</td>
                <td>{r.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
