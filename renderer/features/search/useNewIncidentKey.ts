import { useEffect } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { useCan } from '../../app/ClientContext';
import { searchStore } from '../../stores/search';
import { sessionStore } from '../../stores/session';
import { announceReadOnlyKey, replayReadOnlyNow } from '../replay/readOnly';

/**
 * Shift+N: a new incident at the place the search box found (ringed on the map), else at the map
 * centre. Ignored while typing or with a dialog open, like the other shortcuts.
 */
export function useNewIncidentKey(getMap: () => maplibregl.Map | null) {
  const can = useCan('incidents.create');
  const search = searchStore.useStoreApi();
  const session = sessionStore.useStoreApi();
  useEffect(() => {
    if (!can) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || !event.shiftKey || event.key !== 'N') return;
      if ((event.target as HTMLElement).matches('input, textarea, select, [contenteditable="true"]') || document.querySelector('dialog[open]')) return;
      if (replayReadOnlyNow(Boolean(session.getState().session?.training))) {
        event.preventDefault();
        announceReadOnlyKey('shift+n');
        return;
      }
      const { target, actions } = search.getState();
      const map = getMap();
      if (target) actions.startIncident({ lon: target.lon, lat: target.lat, ...(target.kind === 'address' || target.kind === 'street' || target.kind === 'place' || target.kind === 'stop' ? { address: target.label } : {}) });
      else if (map) {
        const c = map.getCenter();
        actions.startIncident({ lon: c.lng, lat: c.lat });
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [can, search, session, getMap]);
}
