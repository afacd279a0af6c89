import { useEffect, useRef, useState } from 'react';
import { INCIDENT_CATEGORIES } from '../../../common/domain/incident';
import type { VigieClient } from '../../../common/rpc';
import { categoryLabel, useT } from '../../i18n/index';
import type { MessageKey } from '../../i18n/en';
import { incidentsStore } from '../../stores/incidents';
import { searchStore, useSearch } from '../../stores/search';

/**
 * An incident created by hand, from a call or a radio report, at the place chosen (a search
 * result, a map point, the map centre). It goes through the service like a feed's incident: the
 * log, the journal, alarms, dispatch and the hub. Enter in the title creates it; Esc cancels.
 */
export function NewIncidentDialog({ client }: { client: VigieClient }) {
  const place = useSearch((s) => s.newIncident);
  if (!place) return null;
  return <Dialog key={`${place.lon},${place.lat}`} client={client} />;
}

function Dialog({ client }: { client: VigieClient }) {
  const t = useT();
  const place = useSearch((s) => s.newIncident)!;
  const search = searchStore.useStoreApi();
  const incidents = incidentsStore.useStoreApi();
  const ref = useRef<HTMLDialogElement>(null);
  const [category, setCategory] = useState<(typeof INCIDENT_CATEGORIES)[number]>('public_order');
  const [priority, setPriority] = useState(3);
  const [title, setTitle] = useState('');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const close = () => search.getState().actions.closeIncident();
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await client.call('incidents.create', {
        category, priority, title: title.trim(), lon: place.lon, lat: place.lat,
        ...(notes.trim() ? { notes: notes.trim() } : {}), ...(place.address ? { address: place.address } : {}),
      });
      incidents.getState().actions.select(created.id);
      search.getState().actions.show(null);
      close();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  const where = place.address ?? `${place.lat.toFixed(5)}, ${place.lon.toFixed(5)}`;
  return (
    <dialog ref={ref} className="dialog new-incident" aria-labelledby="new-incident-heading" onClose={close}>
      <h2 id="new-incident-heading">{t('newIncident.title')}</h2>
      <p className="new-incident-place muted">{t('newIncident.at', { place: where })}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="new-incident-form">
          <label htmlFor="new-incident-category">{t('newIncident.category')}</label>
          <select id="new-incident-category" value={category} onChange={(e) => setCategory(e.target.value as typeof category)}>
            {INCIDENT_CATEGORIES.map((c) => (
              <option key={c} value={c}>{categoryLabel(t, c)}</option>
            ))}
          </select>
          <label htmlFor="new-incident-priority">{t('newIncident.priority')}</label>
          <select id="new-incident-priority" value={priority} onChange={(e) => setPriority(Number(e.target.value))}>
            {[1, 2, 3, 4].map((p) => (
              <option key={p} value={p}>{t(`priority.${p}` as MessageKey)}</option>
            ))}
          </select>
          <label htmlFor="new-incident-title">{t('newIncident.titleField')}</label>
          <input id="new-incident-title" autoFocus required minLength={3} maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} placeholder={t('newIncident.titlePlaceholder')} />
          <label htmlFor="new-incident-notes">{t('newIncident.notes')}</label>
          <textarea id="new-incident-notes" maxLength={4000} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        {error && <p className="error" role="alert">{t('newIncident.failed', { why: error })}</p>}
        <div className="new-incident-actions">
          <button type="button" className="secondary" onClick={close}>{t('newIncident.cancel')}</button>
          <button type="submit" disabled={busy || title.trim().length < 3}>{t('newIncident.create')}</button>
        </div>
      </form>
    </dialog>
  );
}
