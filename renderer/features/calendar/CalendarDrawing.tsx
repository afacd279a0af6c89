import { useEffect, useRef, useState } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { useT } from '../../i18n/index';
import { calendarStore, useCalendar } from '../../stores/calendar';

const SOURCE = 'calendar-draft';
const LAYERS = [`${SOURCE}-fill`, `${SOURCE}-line`, `${SOURCE}-corners`];

/** The ring closed (first corner repeated last), as GeoJSON and the calendar contract want it. */
export function closeRing(corners: readonly [number, number][]): [number, number][] {
  return [...corners, corners[0]!];
}

function draftGeoJson(corners: readonly [number, number][]) {
  const features: unknown[] = corners.map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } }));
  if (corners.length >= 3) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [closeRing(corners)] } });
  else if (corners.length === 2) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: corners } });
  return { type: 'FeatureCollection', features } as GeoJSON.FeatureCollection;
}

/**
 * Drawing a planned event's polygon on the map, for the calendar's manual entry: a click adds a
 * corner, A adds the centre of the map (keyboard only), Backspace removes the last one, Enter
 * finishes (three corners at least) and Esc cancels. The calendar dialog opens again with it.
 */
export function CalendarDrawing({ getMap }: { getMap(): maplibregl.Map | null }) {
  const t = useT();
  const drawing = useCalendar((s) => s.drawing);
  const { finishDrawing } = calendarStore.useStoreApi().getState().actions;
  const [corners, setCorners] = useState<[number, number][]>([]);
  // The banner shows once the map listens: a click before that would be lost.
  const [listening, setListening] = useState(false);
  const latest = useRef(corners);
  latest.current = corners;

  const finish = () => {
    if (latest.current.length >= 3) finishDrawing(closeRing(latest.current));
  };

  useEffect(() => {
    if (!drawing) return;
    setCorners([]);
    const map = getMap();
    if (!map) return;
    const onClick = (e: maplibregl.MapMouseEvent) => setCorners((c) => [...c, [e.lngLat.lng, e.lngLat.lat]]);
    map.on('click', onClick);
    map.getCanvas().style.cursor = 'crosshair';
    // Keys go to the drawing first (capture), so A, Esc or Enter do not also act on the desk.
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Enter') finish();
      else if (e.key === 'Escape') finishDrawing(null);
      else if (e.key === 'Backspace') setCorners((c) => c.slice(0, -1));
      else if (e.key === 'a' || e.key === 'A') {
        const c = map.getCenter();
        setCorners((cs) => [...cs, [c.lng, c.lat]]);
      } else return;
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    window.addEventListener('keydown', onKey, true);
    setListening(true);
    return () => {
      setListening(false);
      map.off('click', onClick);
      map.getCanvas().style.cursor = '';
      window.removeEventListener('keydown', onKey, true);
      for (const id of LAYERS) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(SOURCE)) map.removeSource(SOURCE);
    };
    // finish reads the latest corners through a ref; the listeners live as long as the drawing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drawing, getMap, finishDrawing]);

  useEffect(() => {
    const map = getMap();
    if (!drawing || !map) return;
    const data = draftGeoJson(corners);
    const source = map.getSource(SOURCE) as maplibregl.GeoJSONSource | undefined;
    if (source) return void source.setData(data);
    map.addSource(SOURCE, { type: 'geojson', data });
    map.addLayer({ id: LAYERS[0]!, type: 'fill', source: SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#ffb020', 'fill-opacity': 0.25 } });
    map.addLayer({ id: LAYERS[1]!, type: 'line', source: SOURCE, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#ffb020', 'line-width': 2, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: LAYERS[2]!, type: 'circle', source: SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 5, 'circle-color': '#ffb020', 'circle-stroke-color': '#0b1118', 'circle-stroke-width': 2 } });
  }, [corners, drawing, getMap]);

  if (!drawing || !listening) return null;
  return (
    <div className="calendar-drawing" role="status" aria-label={t('calendar.drawingLabel')}>
      <p>{t('calendar.drawHint', { n: corners.length })}</p>
      <div className="row">
        <button type="button" onClick={finish} disabled={corners.length < 3}>
          {t('calendar.drawFinish')} <kbd>Enter</kbd>
        </button>
        <button type="button" onClick={() => setCorners((c) => c.slice(0, -1))} disabled={corners.length === 0}>
          {t('calendar.drawUndo')} <kbd>⌫</kbd>
        </button>
        <button type="button" onClick={() => finishDrawing(null)}>
          {t('calendar.drawCancel')} <kbd>Esc</kbd>
        </button>
      </div>
    </div>
  );
}
