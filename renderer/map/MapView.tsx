import { useEffect, useMemo, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre finds its worker next to its own module, which bundling breaks: point it at the emitted file.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { CityPack } from '../../common/contract';
import { incidentsStore, useIncidents, visibleIncidents } from '../stores/incidents';
import { useT } from '../i18n/index';
import { basemapStyle } from './basemapStyle';
import { incidentsLayer } from './layers/incidents';
import { districtLabels, districtLabelsLayer } from './layers/districts';
import { useAnnotationLayers } from '../features/annotate/useAnnotationLayers';

maplibregl.setWorkerUrl(maplibreWorkerUrl);

declare global {
  interface Window {
    /** Read-only handle for tests and support: where an incident is drawn, and what is under a pixel. */
    vigieMap?: {
      ready: boolean;
      project(lon: number, lat: number): { x: number; y: number };
      /** Screen position of an incident by id, or null when it is not loaded. */
      locate(id: string): { x: number; y: number } | null;
      pickIncident(x: number, y: number): string | null;
      flyTo(lon: number, lat: number, zoom?: number): void;
    };
  }
}

export function MapView({ pack }: { pack: CityPack }) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [overlay, setOverlay] = useState<MapboxOverlay | null>(null);
  const [zoom, setZoom] = useState(pack.zoom);
  const byId = useIncidents((s) => s.byId);
  const openOnly = useIncidents((s) => s.openOnly);
  const search = useIncidents((s) => s.search);
  const selectedId = useIncidents((s) => s.selectedId);
  const store = incidentsStore.useStoreApi();
  const select = useIncidents((s) => s.actions.select);

  useEffect(() => {
    if (!container.current) return;
    const m = new maplibregl.Map({
      container: container.current,
      style: basemapStyle(pack),
      center: pack.center,
      zoom: pack.zoom,
      maxBounds: [
        [pack.bounds[0] - 0.5, pack.bounds[1] - 0.4],
        [pack.bounds[2] + 0.5, pack.bounds[3] + 0.4],
      ],
      attributionControl: { compact: false, customAttribution: pack.attribution },
      dragRotate: false,
      pitchWithRotate: false,
    });
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    m.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    const o = new MapboxOverlay({ interleaved: false, layers: [] });
    m.addControl(o);
    m.on('zoomend', () => setZoom(m.getZoom()));
    setMap(m);
    setOverlay(o);
    const project = (lon: number, lat: number) => {
      const p = m.project([lon, lat]);
      const r = m.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    };
    window.vigieMap = {
      ready: false,
      project,
      locate: (id) => {
        const incident = store.getState().byId[id];
        return incident ? project(incident.lon, incident.lat) : null;
      },
      pickIncident: (x, y) => {
        const r = m.getContainer().getBoundingClientRect();
        const info = o.pickObject({ x: x - r.left, y: y - r.top, radius: 4, layerIds: ['incidents'] });
        return (info?.object as { id?: string } | undefined)?.id ?? null;
      },
      flyTo: (lon, lat, z) => m.jumpTo({ center: [lon, lat], zoom: z ?? m.getZoom() }),
    };
    m.once('load', () => window.vigieMap && (window.vigieMap.ready = true));
    return () => {
      window.vigieMap = undefined;
      m.remove();
    };
  }, [pack, store]);

  // Derived, not stored: rebuilt only when the incidents or the filters change.
  const incidents = useMemo(() => visibleIncidents({ byId, openOnly, search }), [byId, openOnly, search]);
  const labels = useMemo(() => districtLabels(pack), [pack]);
  const annotationLayers = useAnnotationLayers(map);

  useEffect(() => {
    overlay?.setProps({
      layers: [districtLabelsLayer(labels, zoom >= 13), ...annotationLayers, incidentsLayer(incidents, selectedId, select)],
      getCursor: ({ isHovering }) => (isHovering ? 'pointer' : 'grab'),
    });
  }, [overlay, incidents, selectedId, select, labels, zoom, annotationLayers]);

  useEffect(() => {
    // Follow the selection made in the list, without moving the map when it is already in view.
    if (!map || !selectedId) return;
    const incident = store.getState().byId[selectedId];
    if (!incident) return;
    if (!map.getBounds().contains([incident.lon, incident.lat])) map.easeTo({ center: [incident.lon, incident.lat], duration: 400 });
  }, [map, selectedId, store]);

  return <div ref={container} className="map" role="region" aria-label={t('map.label', { city: pack.name })} data-incidents={incidents.length} />;
}
