import { useCallback, useEffect, useRef, useState } from 'react';
import type { CityPack } from '../../common/contract';
import type { VigieClient } from '../../common/rpc';
import { mapLayersStore, useMapLayers } from '../stores/mapLayers';
import { useT } from '../i18n/index';
import { registerBasemapProtocols } from './basemapProtocols';
import { CamerasSeeing, type SeeingPoint } from './CamerasSeeing';
import { LayerPanel } from './LayerPanel';
import { MapClientContext } from './mapClient';
import { MapView, type DataView, type MapHandle } from './MapView';
import { useLayerShortcuts } from './useLayerShortcuts';
import { useLayerReplay } from './useLayerReplay';
import { loadLabelFont } from './layers/fonts';
import { ForecastTools } from '../features/forecasts/ForecastTools';
import { CalendarDrawing } from '../features/calendar/CalendarDrawing';
import { useNewIncidentKey } from '../features/search/useNewIncidentKey';
import { searchStore } from '../stores/search';
import { useCan } from '../app/ClientContext';
import { useSession } from '../stores/session';
import { ZoomToDataButton } from './ZoomToDataButton';
import { useReplayReadOnly } from '../features/replay/readOnly';
import './map.css';

/** The map with its layer panel and point menu; owns the map's own store and its data loading. */
export function MapArea({ pack, client }: { pack: CityPack; client: VigieClient }) {
  return (
    <MapClientContext.Provider value={client}>
      <mapLayersStore.Provider>
        <MapAreaInner pack={pack} client={client} />
      </mapLayersStore.Provider>
    </MapClientContext.Provider>
  );
}

function MapAreaInner({ pack, client }: { pack: CityPack; client: VigieClient }) {
  const t = useT();
  const basemap = useMapLayers((s) => s.basemap);
  const setBasemap = useMapLayers((s) => s.actions.setBasemap);
  const [error, setError] = useState<string | null>(null);
  const [fontReady, setFontReady] = useState(false);
  const [menu, setMenu] = useState<{ x: number; y: number; lon: number; lat: number } | null>(null);
  const [seeing, setSeeing] = useState<SeeingPoint | null>(null);
  const handle = useRef<MapHandle | null>(null);
  const menuItem = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void loadLabelFont().then(() => setFontReady(true));
  }, []);

  useEffect(() => {
    registerBasemapProtocols(client);
    client
      .call('map.basemap')
      .then(setBasemap)
      .catch((e: Error) => {
        // A broken basemap setting must not blank the map: say why and fall back to the built-in one.
        setError(e.message);
        setBasemap({ kind: 'builtin' });
      });
  }, [client, setBasemap]);

  useEffect(() => {
    if (menu) menuItem.current?.focus();
  }, [menu]);

  // Where the data lies, before the map opens: an imported profile, or a sandbox of its day, opens on it, and the map may pan to it.
  const kind = useSession((s) => s.session?.kind);
  const [data, setData] = useState<DataView | undefined>(undefined);
  useEffect(() => {
    if (!kind) return;
    let live = true;
    client.call('map.dataExtent').then(
      (e) => live && setData({ bbox: e.bbox, fitOnOpen: (kind === 'history' || kind === 'training') && !e.packFits }),
      () => undefined, // the map stays on its pack; zoom to data says why when asked
    );
    return () => {
      live = false;
    };
  }, [client, kind]);

  const onReady = useCallback((h: MapHandle | null) => {
    handle.current = h;
  }, []);
  const seeCentre = useCallback(() => {
    const m = handle.current?.map;
    if (!m) return;
    const c = m.getCenter();
    setSeeing({ lon: c.lng, lat: c.lat });
  }, []);
  useLayerShortcuts(seeCentre);
  useLayerReplay(client);
  const getMap = useCallback(() => handle.current?.map ?? null, []);
  useNewIncidentKey(getMap);
  // Replay is read-only: no new incident in the past.
  const readOnly = useReplayReadOnly();
  const canCreate = useCan('incidents.create') && !readOnly;
  const search = searchStore.useStoreApi();

  return (
    <>
      {basemap && fontReady ? <MapView pack={pack} basemap={basemap} data={data} onContextPoint={setMenu} onReady={onReady} /> : <p className="muted loading">{t('app.loading')}</p>}
      <ZoomToDataButton getMap={getMap} />
      {error && (
        <p className="map-warning" role="alert">
          {error}
        </p>
      )}
      <LayerPanel />
      <ForecastTools getMap={getMap} />
      <CalendarDrawing getMap={getMap} />
      {menu && (
        <div className="map-menu" role="menu" aria-label={t('map.pointMenu')} style={{ left: menu.x, top: menu.y }} onKeyDown={(e) => e.key === 'Escape' && setMenu(null)}>
          <button
            ref={menuItem}
            type="button"
            role="menuitem"
            onClick={() => {
              setSeeing({ lon: menu.lon, lat: menu.lat });
              setMenu(null);
            }}
          >
            {t('cameras.seeingThisPoint')}
          </button>
          {canCreate && (
            <button
              type="button"
              role="menuitem"
              onClick={() => {
                search.getState().actions.startIncident({ lon: menu.lon, lat: menu.lat });
                setMenu(null);
              }}
            >
              {t('newIncident.here')}
            </button>
          )}
          <button type="button" role="menuitem" onClick={() => setMenu(null)}>
            {t('map.menuCancel')}
          </button>
        </div>
      )}
      {seeing && <CamerasSeeing point={seeing} onClose={() => setSeeing(null)} />}
    </>
  );
}
