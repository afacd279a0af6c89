import { useMemo, useState, type ReactNode } from 'react';
import type { Incident } from '../../../common/domain/incident';
import { useCan, useClient } from '../../app/ClientContext';
import { useT } from '../../i18n/index';
import type { MessageKey } from '../../i18n/en';
import { useIncidents } from '../../stores/incidents';
import { ReasonDialog } from '../../ui/ReasonDialog';
import { ReplayReadOnlyNote, useReplayReadOnly } from '../replay/readOnly';
import { formatMetres, formatMinutes, incidentPlace, mergeCandidates, MERGE_METRES_PER_STEP, MERGE_MINUTES_PER_STEP } from './mergeCandidates';

type DialogKind = 'close' | 'reopen' | 'priority' | 'merge' | 'note' | 'attach';

/**
 * The lifecycle buttons of the details panel. Each has a one-key shortcut (`data-shortcut`, run by
 * useShortcuts); a button the role may not use is not shown, and the service refuses it anyway.
 */
export function IncidentActions({ incident }: { incident: Incident }) {
  const t = useT();
  const client = useClient();
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canAck = useCan('incidents.acknowledge');
  const canOnScene = useCan('incidents.markOnScene');
  const canClose = useCan('incidents.close');
  const canReopen = useCan('incidents.reopen');
  const canPriority = useCan('incidents.setPriority');
  const canMerge = useCan('incidents.merge');
  const canNote = useCan('incidents.addNote');
  const canAttach = useCan('incidents.attach');
  const open = incident.status !== 'closed';
  const readOnly = useReplayReadOnly();

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (readOnly) return <ReplayReadOnlyNote />;
  return (
    <div className="incident-actions">
      <div className="action-bar" role="toolbar" aria-label={t('actions.toolbar')}>
        {canAck && incident.status === 'new' && (
          <ActionButton label="actions.acknowledge" shortcut="a" primary onClick={() => run(() => client.call('incidents.acknowledge', { id: incident.id }))} />
        )}
        {canOnScene && incident.status === 'dispatched' && (
          <ActionButton label="actions.onScene" shortcut="s" onClick={() => run(() => client.call('incidents.markOnScene', { id: incident.id }))} />
        )}
        {canPriority && open && <ActionButton label="actions.priority" shortcut="p" onClick={() => setDialog('priority')} />}
        {canMerge && open && <ActionButton label="actions.merge" shortcut="m" onClick={() => setDialog('merge')} />}
        {canNote && <ActionButton label="actions.note" shortcut="n" onClick={() => setDialog('note')} />}
        {canAttach && <ActionButton label="actions.attach" shortcut="u" onClick={() => setDialog('attach')} />}
        {canClose && open && <ActionButton label="actions.close" shortcut="c" onClick={() => setDialog('close')} />}
        {canReopen && !open && <ActionButton label="actions.reopen" shortcut="r" onClick={() => setDialog('reopen')} />}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {dialog === 'close' && (
        <ReasonDialog
          title={t('actions.closeTitle', { title: incident.title })}
          label={t('actions.reasonOptional')}
          required={false}
          submitLabel={t('actions.close')}
          onSubmit={async (reason) => void (await client.call('incidents.close', { id: incident.id, ...(reason ? { reason } : {}) }))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'reopen' && (
        <ReasonDialog
          title={t('actions.reopenTitle', { title: incident.title })}
          label={t('actions.reason')}
          required
          submitLabel={t('actions.reopen')}
          onSubmit={async (reason) => void (await client.call('incidents.reopen', { id: incident.id, reason }))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'note' && (
        <ReasonDialog
          title={t('actions.noteTitle')}
          label={t('actions.noteText')}
          required
          multiline
          submitLabel={t('actions.note')}
          onSubmit={async (text) => void (await client.call('incidents.addNote', { id: incident.id, text }))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'priority' && <PriorityDialog incident={incident} onClose={() => setDialog(null)} />}
      {dialog === 'merge' && <MergeDialog incident={incident} onClose={() => setDialog(null)} />}
      {dialog === 'attach' && <AttachDialog incident={incident} onClose={() => setDialog(null)} />}
    </div>
  );
}

export function ActionButton({ label, shortcut, primary, onClick, children }: { label: MessageKey; shortcut: string; primary?: boolean; onClick: () => void; children?: ReactNode }) {
  const t = useT();
  return (
    <button type="button" className={primary ? 'action primary' : 'action'} data-shortcut={shortcut} title={`${t(label)} (${shortcut.toUpperCase()})`} onClick={onClick}>
      {children ?? t(label)}
      <kbd aria-hidden="true">{shortcut.toUpperCase()}</kbd>
    </button>
  );
}

function PriorityDialog({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const t = useT();
  const client = useClient();
  const [priority, setPriority] = useState(incident.priority === 1 ? 2 : incident.priority - 1);
  return (
    <ReasonDialog
      title={t('actions.priorityTitle')}
      label={t('actions.reason')}
      required
      submitLabel={t('actions.priority')}
      onSubmit={async (reason) => void (await client.call('incidents.setPriority', { id: incident.id, priority, reason }))}
      onClose={onClose}
    >
      <label className="field">
        <span>{t('details.priority')}</span>
        <select value={priority} onChange={(e) => setPriority(Number(e.target.value))}>
          {[1, 2, 3, 4].map((p) => (
            <option key={p} value={p} disabled={p === incident.priority}>
              {t(`priority.${p}` as 'priority.1')}
            </option>
          ))}
        </select>
      </label>
    </ReasonDialog>
  );
}

function MergeDialog({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const t = useT();
  const client = useClient();
  const byId = useIncidents((s) => s.byId);
  const candidates = useMemo(() => mergeCandidates(incident, Object.values(byId)), [incident, byId]);
  const [into, setInto] = useState(candidates[0]?.incident.id ?? '');
  return (
    <ReasonDialog
      title={t('actions.mergeTitle', { title: incident.title })}
      label={t('actions.reasonOptional')}
      required={false}
      submitLabel={t('actions.merge')}
      onSubmit={async (reason) => void (await client.call('incidents.merge', { id: incident.id, into, ...(reason ? { reason } : {}) }))}
      onClose={onClose}
    >
      <label className="field">
        <span>{t('actions.mergeInto')}</span>
        <select value={into} onChange={(e) => setInto(e.target.value)} aria-describedby="merge-order" size={Math.min(6, Math.max(2, candidates.length))}>
          {candidates.map(({ incident: c, metres, minutes }) => (
            <option key={c.id} value={c.id}>
              {t('actions.mergeCandidate', { title: c.title, place: incidentPlace(c), metres: formatMetres(metres), gap: formatMinutes(minutes) })}
            </option>
          ))}
        </select>
      </label>
      <p id="merge-order" className="muted merge-order">
        {t('actions.mergeOrder', { metres: MERGE_METRES_PER_STEP, minutes: MERGE_MINUTES_PER_STEP })}
      </p>
    </ReasonDialog>
  );
}

/** A link, or a camera of the cache by its id: attachments are references, never copies of the content. */
function AttachDialog({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const t = useT();
  const client = useClient();
  const [kind, setKind] = useState<'link' | 'camera'>('link');
  const [ref, setRef] = useState('');
  return (
    <ReasonDialog
      title={t('actions.attachTitle')}
      label={t('actions.attachLabel')}
      required={false}
      submitLabel={t('actions.attach')}
      onSubmit={async (label) => {
        const attachment = kind === 'link' ? { kind, url: ref.trim(), ...(label ? { label } : {}) } : { kind, cameraId: ref.trim(), ...(label ? { label } : {}) };
        await client.call('incidents.attach', { id: incident.id, attachment });
      }}
      onClose={onClose}
    >
      <label className="field">
        <span>{t('actions.attachKind')}</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as 'link' | 'camera')}>
          <option value="link">{t('actions.attachLink')}</option>
          <option value="camera">{t('actions.attachCamera')}</option>
        </select>
      </label>
      <label className="field">
        <span>{kind === 'link' ? t('actions.attachUrl') : t('actions.attachCameraId')} *</span>
        <input type={kind === 'link' ? 'url' : 'text'} value={ref} onChange={(e) => setRef(e.target.value)} required />
      </label>
    </ReasonDialog>
  );
}
