import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre finds its worker next to its own module, which bundling breaks: point it at the emitted file.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { CityPack } from '../../common/contract';
import type { Basemap } from '../../common/methods/basemap';
import { incidentsStore, useIncidents } from '../stores/incidents';
import { pictureStore } from '../stores/picture';
import { annotationsStore } from '../stores/annotations';
import { useLayerSetting } from '../stores/mapLayers';
import { useT } from '../i18n/index';
import { basemapStyle } from './basemapStyle';
import { MAP_LAYERS } from './layers/registry';
import { useAnnotationLayers } from '../features/annotate/useAnnotationLayers';
import { pickedId, type MapLayerDef } from './layers/types';
import { useMapIncidents } from './layers/incidents';
import { mapSelectionStore } from '../stores/mapSelection';
import { useMapFocus } from './useMapFocus';
import { useSearchRing } from '../features/search/useSearchRing';
import { paceFrames, type FramePacer } from './paceFrames';

maplibregl.setWorkerUrl(maplibreWorkerUrl);

declare global {
  interface Window {
    /** Read-only handle for tests and support: where things are drawn, and what is under a pixel. */
    vigieMap?: {
      ready: boolean;
      project(lon: number, lat: number): { x: number; y: number };
      /** Screen position of an incident by id, or null when it is not loaded. */
      locate(id: string): { x: number; y: number } | null;
      pickIncident(x: number, y: number): string | null;
      /** What the map draws at a screen point: deck.gl layer id and item id, or null. */
      pick(x: number, y: number, layerIds?: string[]): { layer: string; id: string | null } | null;
      /** Ids of the deck.gl layers currently drawn (visible). */
      drawnLayers(): string[];
      /** The texts a drawn text layer writes on the map (its getText over its data), e.g. the signal counts. */
      labels(layerId: string): string[];
      cameras(): { id: string; name?: string | undefined; lon: number; lat: number; heading?: number | undefined; fieldOfView?: number | undefined; range?: number | undefined }[];
      units(): { id: string; callsign?: string | undefined; lon: number; lat: number }[];
      /** Saved annotations as this window holds them (geometry and version). */
      annotations(): { id: string; label: string; shape: string; coordinates: [number, number][]; radiusM?: number | undefined; version: number }[];
      zoom(): number;
      /** Basemap style layers with at least one feature drawn in view (proves tiles were read and styled). */
      renderedBasemapLayers(): string[];
      flyTo(lon: number, lat: number, zoom?: number): void;
      /** No move in progress and every tile loaded (tests wait on it instead of a fixed delay). */
      idle(): boolean;
      /** The map centre, [lon, lat]. */
      center(): [number, number];
    };
  }
}

export interface MapHandle {
  map: maplibregl.Map;
  overlay: MapboxOverlay;
}

/**
 * The map: MapLibre basemap, deck.gl layers on top. The layers come from the registry
 * (layers/registry.ts); each is computed by its own host component so that a change in one
 * domain rebuilds only that layer.
 */
/** Where the profile's data lies (map.dataExtent): the map may pan to it, and an imported profile opens on it. */
export interface DataView {
  bbox: [number, number, number, number] | null;
  /** Open fitted to bbox (imported history whose data is outside the city pack). */
  fitOnOpen: boolean;
}

export function MapView({ pack, basemap, data, onContextPoint, onReady }: { pack: CityPack; basemap: Basemap; data?: DataView | undefined; onContextPoint(p: { x: number; y: number; lon: number; lat: number }): void; onReady(handle: MapHandle | null): void }) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const [handle, setHandle] = useState<MapHandle | null>(null);
  const [zoom, setZoom] = useState(pack.zoom);
  const selectedId = useIncidents((s) => s.selectedId);
  const store = incidentsStore.useStoreApi();
  const picture = pictureStore.useStoreApi();
  const annotations = annotationsStore.useStoreApi();
  const mapIncidents = useMapIncidents();
  const shownIncidents = mapIncidents.length;
  const features = mapSelectionStore.useStoreApi();
  const [layersByDef, setLayersByDef] = useState<Record<string, Layer[]>>({});
  const report = useCallback((id: string, layers: Layer[]) => setLayersByDef((prev) => (prev[id] === layers ? prev : { ...prev, [id]: layers })), []);
  const contextRef = useRef(onContextPoint);
  const pacer = useRef<FramePacer | null>(null);
  /** The area the map was built for (the pack's, or the basemap file's), [west, south, east, north]. */
  const areaRef = useRef<[number, number, number, number]>(pack.bounds);
  contextRef.current = onContextPoint;

  useEffect(() => {
    if (!container.current) return;
    const offline = basemap.kind === 'pmtiles' || basemap.kind === 'mbtiles';
    // A tile file elsewhere than the pack's city (a test file, a training city) opens on its own area.
    const inPack = (p: [number, number]) => p[0] >= pack.bounds[0] && p[0] <= pack.bounds[2] && p[1] >= pack.bounds[1] && p[1] <= pack.bounds[3];
    const elsewhere = offline && !inPack(basemap.center);
    const bounds = elsewhere ? basemap.bounds : pack.bounds;
    areaRef.current = bounds;
    const m = new maplibregl.Map({
      container: container.current,
      style: basemapStyle(pack, basemap),
      center: elsewhere ? basemap.center : pack.center,
      zoom: elsewhere ? Math.max(12, basemap.minZoom) : pack.zoom,
      maxBounds: [
        [bounds[0] - 0.5, bounds[1] - 0.4],
        [bounds[2] + 0.5, bounds[3] + 0.4],
      ],
      attributionControl: { compact: false, customAttribution: [...pack.attribution, ...(offline ? basemap.attribution : [])] },
      dragRotate: false,
      pitchWithRotate: false,
    });
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    m.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    const o = new MapboxOverlay({ interleaved: false, layers: [], onAfterRender: () => pacer.current?.drew() });
    m.addControl(o);
    // deck.gl's loop at 60 frames a second only while something is drawn (paceFrames.ts): the
    // pointer and camera wake it, as do layer changes below.
    pacer.current = paceFrames(o);
    const wake = () => pacer.current?.wake();
    for (const event of ['mousemove', 'mousedown', 'mouseout', 'click', 'wheel', 'render', 'resize'] as const) m.on(event, wake);
    m.on('zoomend', () => setZoom(m.getZoom()));
    setZoom(m.getZoom());
    const h = { map: m, overlay: o };
    setHandle(h);
    onReady(h);
    const project = (lon: number, lat: number) => {
      const p = m.project([lon, lat]);
      const r = m.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    };
    const pick = (x: number, y: number, layerIds?: string[]) => {
      const r = m.getContainer().getBoundingClientRect();
      const info = o.pickObject({ x: x - r.left, y: y - r.top, radius: 4, ...(layerIds ? { layerIds } : {}) });
      return info?.layer ? { layer: info.layer.id, id: pickedId(info) } : null;
    };
    const canvas = m.getCanvasContainer();
    const onContext = (event: MouseEvent) => {
      event.preventDefault();
      const r = m.getContainer().getBoundingClientRect();
      const at = m.unproject([event.clientX - r.left, event.clientY - r.top]);
      contextRef.current({ x: event.clientX - r.left, y: event.clientY - r.top, lon: at.lng, lat: at.lat });
    };
    canvas.addEventListener('contextmenu', onContext);
    window.vigieMap = {
      ready: false,
      project,
      locate: (id) => {
        const incident = store.getState().byId[id];
        return incident ? project(incident.lon, incident.lat) : null;
      },
      pickIncident: (x, y) => pick(x, y, ['incidents'])?.id ?? null,
      pick,
      drawnLayers: () => (o as unknown as { _deck?: { props: { layers: Layer[] } } })._deck?.props.layers.filter((l) => l.props.visible).map((l) => l.id) ?? [],
      labels: (layerId) => {
        const layer = (o as unknown as { _deck?: { props: { layers: Layer[] } } })._deck?.props.layers.find((l) => l.id === layerId && l.props.visible);
        const { data, getText } = (layer?.props ?? {}) as { data?: unknown; getText?: unknown };
        return Array.isArray(data) && typeof getText === 'function' ? data.map((d) => String((getText as (d: unknown) => unknown)(d))) : [];
      },
      cameras: () => Object.values(picture.getState().cameras).map(({ id, name, lon, lat, heading, fieldOfView, range }) => ({ id, name, lon, lat, heading, fieldOfView, range })),
      units: () => Object.values(picture.getState().units).map(({ id, callsign, lon, lat }) => ({ id, callsign, lon, lat })),
      annotations: () => Object.values(annotations.getState().byId).map(({ id, label, shape, coordinates, radiusM, version }) => ({ id, label, shape, coordinates: coordinates as [number, number][], radiusM, version })),
      zoom: () => m.getZoom(),
      renderedBasemapLayers: () => [...new Set(m.queryRenderedFeatures().map((f) => f.layer.id))].sort(),
      // Braces: jumpTo returns the map itself, which page.evaluate would serialise whole (typed
      // arrays as base64; about 5 s of the page's main thread here) to hand it back to a test.
      flyTo: (lon, lat, z) => {
        m.jumpTo({ center: [lon, lat], zoom: z ?? m.getZoom() });
      },
      // For tests that wait on the map instead of a fixed delay: no move in progress, every tile in.
      idle: () => !m.isMoving() && m.loaded(),
      center: () => m.getCenter().toArray() as [number, number],
    };
    m.once('load', () => window.vigieMap && (window.vigieMap.ready = true));
    return () => {
      canvas.removeEventListener('contextmenu', onContext);
      window.vigieMap = undefined;
      pacer.current = null;
      onReady(null);
      m.remove();
    };
  }, [pack, basemap, store, picture, annotations, onReady]);

  // Where the data lies, once known: the map may pan as far as it, and imported history elsewhere
  // than the pack (Houston in a Marseille profile) opens fitted to it. Applied to the map as it is,
  // never by building it again.
  useEffect(() => {
    const extent = data?.bbox;
    if (!handle || !extent) return;
    const area = areaRef.current;
    const fit = data.fitOnOpen;
    const b: [number, number, number, number] = fit ? extent : [Math.min(area[0], extent[0]), Math.min(area[1], extent[1]), Math.max(area[2], extent[2]), Math.max(area[3], extent[3])];
    handle.map.setMaxBounds([[b[0] - 0.5, b[1] - 0.4], [b[2] + 0.5, b[3] + 0.4]]);
    if (fit) handle.map.fitBounds([[extent[0], extent[1]], [extent[2], extent[3]]], { padding: 40, maxZoom: 15, duration: 0 });
  }, [handle, data]);

  // Annotations draw on the map and take its clicks while drawing: they live with the annotate feature.
  const annotationLayers = useAnnotationLayers(handle?.map ?? null);
  const focus = useMapFocus(handle?.map ?? null, mapIncidents);
  const searchRing = useSearchRing(handle?.map ?? null);

  const describers = useMemo(() => {
    const owner = new Map<string, MapLayerDef>();
    for (const def of MAP_LAYERS) for (const layer of layersByDef[def.id] ?? []) owner.set(layer.id, def);
    return owner;
  }, [layersByDef]);

  useEffect(() => {
    handle?.overlay.setProps({
      layers: [...MAP_LAYERS.flatMap((def) => layersByDef[def.id] ?? []), ...annotationLayers, ...searchRing, ...focus.layers],
      getCursor: ({ isHovering }) => (isHovering ? 'pointer' : 'grab'),
      getTooltip: (info: PickingInfo) => {
        const text = info.layer ? describers.get(info.layer.id)?.describe?.(info, t) : null;
        return text ? { text, className: 'map-tooltip' } : null;
      },
      onClick: (info: PickingInfo) => {
        // A cluster zooms in on its members; everything else is handled by its layer.
        if (info.layer?.id === 'incident-clusters' && info.coordinate) handle.map.easeTo({ center: info.coordinate as [number, number], zoom: Math.min(handle.map.getZoom() + 2, 16) });
        // A unit, camera or alert opens its details, as an incident does.
        const feature = info.layer ? describers.get(info.layer.id)?.select?.(info) : null;
        if (feature) features.getState().actions.select(feature);
      },
    });
    pacer.current?.wake();
  }, [handle, layersByDef, describers, t, annotationLayers, searchRing, focus.layers, features]);

  useEffect(() => {
    // Follow the selection made in the list, without moving the map when it is already in view.
    if (!handle || !selectedId) return;
    const incident = store.getState().byId[selectedId];
    if (!incident) return;
    if (!handle.map.getBounds().contains([incident.lon, incident.lat])) handle.map.easeTo({ center: [incident.lon, incident.lat], duration: 400 });
  }, [handle, selectedId, store]);

  return (
    <>
      <div ref={container} className="map" role="region" aria-label={t('map.label', { city: pack.name })} data-incidents={shownIncidents} />
      <p className="map-focus-live" role="status" aria-live="polite">
        {focus.announcement}
      </p>
      {MAP_LAYERS.map((def) => (
        <LayerHost key={def.id} def={def} pack={pack} zoom={zoom} report={report} />
      ))}
    </>
  );
}

/** Computes one registry entry's deck.gl layers and hands them to the map. Renders nothing. */
function LayerHost({ def, pack, zoom, report }: { def: MapLayerDef; pack: CityPack; zoom: number; report(id: string, layers: Layer[]): void }) {
  const { visible, opacity } = useLayerSetting(def.id);
  const layers = def.useLayers({ pack, zoom, visible, opacity });
  useEffect(() => report(def.id, layers), [def.id, layers, report]);
  return null;
}
