import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useT } from '../i18n/index';

/**
 * Asks for a reason (and whatever else the action needs, as children) before an action runs.
 * A required reason has at least 3 characters, as the contract checks.
 */
export function ReasonDialog({
  title,
  label,
  required,
  multiline,
  submitLabel,
  children,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  required: boolean;
  multiline?: boolean;
  submitLabel: string;
  children?: ReactNode;
  onSubmit: (reason: string) => Promise<void> | void;
  onClose: () => void;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const tooShort = required && reason.trim().length < 3;
  return (
    <dialog ref={ref} className="dialog reason-dialog" aria-label={title} onClose={onClose}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (tooShort) {
            setError(t('actions.reasonRequired'));
            return;
          }
          setBusy(true);
          try {
            await onSubmit(reason.trim());
            ref.current?.close();
          } catch (err) {
            setError((err as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <h2>{title}</h2>
        {children}
        <label className="field">
          <span>
            {label}
            {required ? ' *' : ''}
          </span>
          {multiline ? (
            <textarea autoFocus rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          ) : (
            <input autoFocus type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
          )}
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="secondary" onClick={() => ref.current?.close()}>
            {t('actions.cancel')}
          </button>
          <button type="submit" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
