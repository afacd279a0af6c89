import { useEffect, useMemo, useRef, useState } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Incident } from '../../common/domain/incident';
import { incidentsStore } from '../stores/incidents';
import { mapLayersStore } from '../stores/mapLayers';
import { mapSelectionStore, useMapSelection, type FeatureKind } from '../stores/mapSelection';
import { pictureStore, usePicture } from '../stores/picture';
import { useT } from '../i18n/index';
import { alertAreas, labelPoint } from './layers/alerts';

/** One thing on the map the keyboard can reach. */
export interface FocusTarget {
  kind: 'incident' | FeatureKind;
  id: string;
  lon: number;
  lat: number;
  label: string;
}

const KIND_ORDER: FocusTarget['kind'][] = ['incident', 'unit', 'camera', 'alert'];

/**
 * Keyboard navigation of the map. With the map focused, Tab / Shift+Tab go through what the shown
 * layers draw in view (incidents, then units, cameras and alerts, each top to bottom), Enter opens
 * the details of the one in focus, Esc drops the focus. Past the last (or before the first) Tab
 * leaves the map as usual, so the keyboard is never trapped in it.
 */
export function useMapFocus(map: maplibregl.Map | null, shownIncidents: Incident[]): { announcement: string; layers: Layer[] } {
  const t = useT();
  const incidents = incidentsStore.useStoreApi();
  const picture = pictureStore.useStoreApi();
  const layerSettings = mapLayersStore.useStoreApi();
  const features = mapSelectionStore.useStoreApi();
  const [focus, setFocus] = useState<FocusTarget | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const live = useRef({ t, shownIncidents, focus });
  live.current = { t, shownIncidents, focus };

  useEffect(() => {
    if (!map) return;
    const container = map.getContainer();
    const inView = (): FocusTarget[] => {
      const { t: tr, shownIncidents: shown } = live.current;
      const bounds = map.getBounds();
      const visible = (id: string) => layerSettings.getState().settings[id]?.visible ?? true;
      const out: FocusTarget[] = [];
      const add = (target: FocusTarget) => {
        if (!bounds.contains([target.lon, target.lat])) return false;
        out.push(target);
        return true;
      };
      if (visible('incidents')) for (const i of shown) add({ kind: 'incident', id: i.id, lon: i.lon, lat: i.lat, label: tr('map.focus.incident', { title: i.title }) });
      const { units, cameras, alerts } = picture.getState();
      if (visible('units')) for (const u of Object.values(units)) add({ kind: 'unit', id: u.id, lon: u.lon, lat: u.lat, label: tr('map.focus.unit', { name: u.callsign ?? u.unitId }) });
      if (visible('cameras')) for (const c of Object.values(cameras)) add({ kind: 'camera', id: c.id, lon: c.lon, lat: c.lat, label: tr('map.focus.camera', { name: c.name ?? c.externalId }) });
      if (visible('alerts')) {
        const seen = new Set<string>();
        for (const area of alertAreas(Object.values(alerts))) {
          if (seen.has(area.alert.id)) continue;
          const [lon, lat] = labelPoint(area.ring);
          if (add({ kind: 'alert', id: area.alert.id, lon, lat, label: tr('map.focus.alert', { name: area.alert.headline ?? area.alert.event }) })) seen.add(area.alert.id);
        }
      }
      // Reading order within each kind: north to south, then west to east.
      return out.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || b.lat - a.lat || a.lon - b.lon || a.id.localeCompare(b.id));
    };
    const onKey = (event: KeyboardEvent) => {
      // Only with the map itself focused: the zoom buttons and attribution links keep their own Tab.
      if (event.ctrlKey || event.metaKey || event.altKey || event.target !== map.getCanvas()) return;
      const current = live.current.focus;
      if (event.key === 'Tab') {
        const list = inView();
        if (list.length === 0) {
          setAnnouncement(live.current.t('map.focus.none'));
          return;
        }
        const at = current ? list.findIndex((f) => f.kind === current.kind && f.id === current.id) : -1;
        const next = at < 0 ? (event.shiftKey ? list.length - 1 : 0) : at + (event.shiftKey ? -1 : 1);
        if (at >= 0 && (next < 0 || next >= list.length)) {
          // Past either end: let the browser move focus out of the map.
          setFocus(null);
          setAnnouncement('');
          return;
        }
        event.preventDefault();
        const target = list[next]!;
        setFocus(target);
        setAnnouncement(live.current.t('map.focus.announce', { what: target.label, n: next + 1, total: list.length }));
        if (!map.getBounds().contains([target.lon, target.lat])) map.easeTo({ center: [target.lon, target.lat], duration: 300 });
      } else if (event.key === 'Enter' && current) {
        event.preventDefault();
        if (current.kind === 'incident') incidents.getState().actions.select(current.id);
        else features.getState().actions.select({ kind: current.kind, id: current.id });
      } else if (event.key === 'Escape' && current) {
        setFocus(null);
        setAnnouncement('');
      }
    };
    const onBlur = () => {
      setFocus(null);
      setAnnouncement('');
    };
    container.addEventListener('keydown', onKey);
    const canvas = map.getCanvas();
    canvas.addEventListener('blur', onBlur);
    return () => {
      container.removeEventListener('keydown', onKey);
      canvas.removeEventListener('blur', onBlur);
    };
  }, [map, incidents, picture, layerSettings, features]);

  // Units move: the ring follows the unit in focus, and marks the selected unit, camera or alert.
  const selected = useMapSelection((s) => s.selected);
  const focusedUnit = usePicture((s) => (focus?.kind === 'unit' ? s.units[focus.id] : undefined));
  const selectedAt = usePicture((s) => {
    if (!selected) return null;
    if (selected.kind === 'unit') return s.units[selected.id] ?? null;
    if (selected.kind === 'camera') return s.cameras[selected.id] ?? null;
    return null;
  });
  const layers = useMemo(() => {
    const rings: { at: [number, number]; color: [number, number, number, number]; width: number }[] = [];
    if (selectedAt) rings.push({ at: [selectedAt.lon, selectedAt.lat], color: [255, 255, 255, 255], width: 3 });
    if (focus) rings.push({ at: focusedUnit ? [focusedUnit.lon, focusedUnit.lat] : [focus.lon, focus.lat], color: [77, 163, 255, 255], width: 4 });
    if (rings.length === 0) return [];
    return [
      new ScatterplotLayer<(typeof rings)[number]>({
        id: 'map-focus',
        data: rings,
        stroked: true,
        filled: false,
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        getPosition: (d) => d.at,
        getRadius: 16,
        getLineColor: (d) => d.color,
        getLineWidth: (d) => d.width,
      }),
    ];
  }, [focus, focusedUnit, selectedAt]);
  return { announcement, layers };
}
